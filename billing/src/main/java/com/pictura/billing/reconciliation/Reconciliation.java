package com.pictura.billing.reconciliation;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import com.pictura.billing.checkout.StripeMetadata;
import com.pictura.billing.checkout.StripeMetadata.Sale;
import com.pictura.billing.checkout.StripePurchases;
import com.pictura.billing.stripe.StripeApi;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.WalletEvent.CreditsPurchased;
import com.pictura.domain.wallet.WalletEvent.PurchaseReversed;
import com.pictura.domain.wallet.WalletId;
import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Dispute;
import com.stripe.model.Refund;
import com.stripe.model.checkout.Session;
import com.stripe.param.RefundListParams;
import com.stripe.param.checkout.SessionListParams;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.springframework.stereotype.Service;

/**
 * Compares what Stripe says was paid and refunded with what the ledger says was purchased and reversed, for a
 * period, and reports every difference. Stripe is read through its API (stripe-java), the ledger straight from
 * the event store: the events themselves, not a read model of them.
 *
 * <p>Stripe's side is every paid Pictura Checkout Session and every refund created in the period; the ledger's
 * side is every {@code CreditsPurchased} and {@code PurchaseReversed} recorded in it. A Stripe object is matched
 * to its ledger event by id (session id = payment id, refund or dispute id = reversal id) wherever in time the
 * event landed, and a ledger event whose Stripe object was created before the period is looked up by id, so a
 * payment straddling the period's edge is not a false difference.
 */
@Service
public class Reconciliation {

    public enum Kind {
        /** Stripe was paid; the ledger has no purchase. */
        MISSING_PURCHASE,
        /** The ledger has a purchase Stripe was never paid for. */
        UNKNOWN_PURCHASE,
        /** Both have it, with different credits, price or wallet. */
        PURCHASE_MISMATCH,
        /** Stripe refunded; the ledger took nothing back. */
        MISSING_REVERSAL,
        /** The ledger took credits back for a refund or dispute Stripe does not have (or that failed, or was won). */
        UNKNOWN_REVERSAL,
        /** Both have it, with credits out of proportion to the money, or against another purchase. */
        REVERSAL_MISMATCH
    }

    public record Difference(Kind kind, String stripeId, String walletId, String expected, String actual,
                             String detail) {
    }

    public record Report(Instant from, Instant to, String accountId, Instant ranAt, int paidSessions, int refunds,
                         int ledgerPurchases, int ledgerReversals, List<Difference> differences) {
        public boolean agrees() {
            return differences.isEmpty();
        }
    }

    private record LedgerPurchase(String walletId, String paymentId, long micros, long priceCents, Instant at) {
    }

    private record LedgerReversal(String walletId, String reversalId, String paymentId, long micros, Instant at) {
    }

    private final StripeApi stripe;
    private final StripePurchases purchases;
    private final EventStorageEngine events;
    private final Clock clock;

    public Reconciliation(StripeApi stripe, StripePurchases purchases, EventStorageEngine events, Clock clock) {
        this.stripe = stripe;
        this.purchases = purchases;
        this.events = events;
        this.clock = clock;
    }

    /**
     * @param account only this account's purchases, or every account's
     * @throws IllegalStateException when Stripe cannot be read
     */
    public Report run(Instant from, Instant to, Optional<AccountId> account) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("the period must end after it starts");
        }
        Optional<String> wallet = account.map(a -> WalletId.of(a).value());
        try {
            return reconcile(from, to, account, wallet);
        } catch (StripeException e) {
            throw new IllegalStateException("Stripe could not be read for reconciliation", e);
        }
    }

    private Report reconcile(Instant from, Instant to, Optional<AccountId> account, Optional<String> wallet)
            throws StripeException {
        StripeClient client = stripe.client();
        List<Difference> differences = new ArrayList<>();

        // Ledger events from the start of the period on: a payment or refund is recorded after it is created.
        LedgerSide ledger = ledger(from, wallet);
        Map<String, LedgerPurchase> ledgerPurchases = new HashMap<>();
        for (LedgerPurchase p : ledger.purchases()) {
            ledgerPurchases.put(p.paymentId(), p);
        }
        Map<String, LedgerReversal> ledgerReversals = new HashMap<>();
        for (LedgerReversal r : ledger.reversals()) {
            ledgerReversals.put(r.reversalId(), r);
        }

        // Stripe -> ledger: paid sessions.
        Set<String> matchedPurchases = new HashSet<>();
        Map<String, Session> sessionsById = new HashMap<>();
        int paidSessions = 0;
        SessionListParams sessionQuery = SessionListParams.builder().setLimit(100L)
                .setCreated(SessionListParams.Created.builder()
                        .setGte(from.getEpochSecond()).setLt(ceilSeconds(to)).build())
                .build();
        for (Session session : client.v1().checkout().sessions().list(sessionQuery).autoPagingIterable()) {
            Optional<Sale> sale = StripeMetadata.sale(session.getClientReferenceId(), session.getMetadata());
            if (sale.isEmpty() || !"paid".equals(session.getPaymentStatus())
                    || account.isPresent() && !account.get().equals(sale.get().account())) {
                continue;
            }
            paidSessions++;
            sessionsById.put(session.getId(), session);
            matchedPurchases.add(session.getId());
            comparePurchase(session, sale.get(), ledgerPurchases.get(session.getId()), differences);
        }

        // Ledger -> Stripe: purchases in the period that no paid session of the period explains.
        int purchasesInPeriod = 0;
        for (LedgerPurchase p : ledgerPurchases.values()) {
            if (!within(p.at(), from, to)) {
                continue;
            }
            purchasesInPeriod++;
            if (matchedPurchases.contains(p.paymentId())) {
                continue;
            }
            Session session = retrieve(() -> client.v1().checkout().sessions().retrieve(p.paymentId()));
            Optional<Sale> sale = session == null ? Optional.empty()
                    : StripeMetadata.sale(session.getClientReferenceId(), session.getMetadata());
            if (session == null || sale.isEmpty() || !"paid".equals(session.getPaymentStatus())) {
                differences.add(new Difference(Kind.UNKNOWN_PURCHASE, p.paymentId(), p.walletId(), "no paid session",
                        Credits.ofMicros(p.micros()) + " credits for " + p.priceCents() + " cents",
                        session == null ? "Stripe has no such checkout session" : "the session is not a paid Pictura purchase"));
            } else {
                sessionsById.put(session.getId(), session);
                comparePurchase(session, sale.get(), p, differences);
            }
        }

        // Stripe -> ledger: refunds.
        Set<String> matchedReversals = new HashSet<>();
        int refunds = 0;
        RefundListParams refundQuery = RefundListParams.builder().setLimit(100L)
                .setCreated(RefundListParams.Created.builder()
                        .setGte(from.getEpochSecond()).setLt(ceilSeconds(to)).build())
                .build();
        for (Refund refund : client.v1().refunds().list(refundQuery).autoPagingIterable()) {
            if (!"succeeded".equals(refund.getStatus()) && !"pending".equals(refund.getStatus())) {
                continue;
            }
            Optional<StripePurchases.Purchase> purchase = purchases.findByPayment(refund.getPaymentIntent(), refund.getCharge());
            if (purchase.isEmpty() || account.isPresent() && !account.get().equals(purchase.get().accountId())) {
                // Not a Pictura purchase (or not this account's); a Pictura purchase Pictura never heard of is
                // already a MISSING_PURCHASE above.
                continue;
            }
            refunds++;
            matchedReversals.add(refund.getId());
            compareReversal(refund.getId(), refund.getAmount(), purchase.get(), ledgerReversals.get(refund.getId()),
                    differences);
        }

        // Ledger -> Stripe: reversals in the period that no refund of the period explains.
        int reversalsInPeriod = 0;
        for (LedgerReversal r : ledgerReversals.values()) {
            if (!within(r.at(), from, to)) {
                continue;
            }
            reversalsInPeriod++;
            if (matchedReversals.contains(r.reversalId())) {
                continue;
            }
            Optional<StripePurchases.Purchase> purchase = purchases.find(r.paymentId());
            if (r.reversalId().startsWith("dp_")) {
                Dispute dispute = retrieve(() -> client.v1().disputes().retrieve(r.reversalId()));
                if (dispute == null || !"lost".equals(dispute.getStatus())) {
                    differences.add(new Difference(Kind.UNKNOWN_REVERSAL, r.reversalId(), r.walletId(), "a lost dispute",
                            Credits.ofMicros(r.micros()) + " credits taken back",
                            dispute == null ? "Stripe has no such dispute" : "the dispute is " + dispute.getStatus()));
                } else if (purchase.isPresent()) {
                    compareReversal(dispute.getId(), dispute.getAmount(), purchase.get(), r, differences);
                }
                continue;
            }
            Refund refund = retrieve(() -> client.v1().refunds().retrieve(r.reversalId()));
            if (refund == null || !("succeeded".equals(refund.getStatus()) || "pending".equals(refund.getStatus()))) {
                differences.add(new Difference(Kind.UNKNOWN_REVERSAL, r.reversalId(), r.walletId(), "a refund",
                        Credits.ofMicros(r.micros()) + " credits taken back",
                        refund == null ? "Stripe has no such refund" : "the refund is " + refund.getStatus()));
            } else if (purchase.isPresent()) {
                compareReversal(refund.getId(), refund.getAmount(), purchase.get(), r, differences);
            }
        }

        return new Report(from, to, account.map(AccountId::value).orElse(null), clock.instant(), paidSessions, refunds,
                purchasesInPeriod, reversalsInPeriod, List.copyOf(differences));
    }

    private static void comparePurchase(Session session, Sale sale, LedgerPurchase ledger, List<Difference> differences) {
        String wallet = WalletId.of(sale.account()).value();
        Credits credits = Credits.of(sale.credits());
        long cents = session.getAmountTotal() == null ? 0 : session.getAmountTotal();
        String expected = credits + " credits for " + cents + " cents to " + wallet;
        if (ledger == null) {
            differences.add(new Difference(Kind.MISSING_PURCHASE, session.getId(), wallet, expected, "nothing",
                    "paid on Stripe, never credited"));
            return;
        }
        String actual = Credits.ofMicros(ledger.micros()) + " credits for " + ledger.priceCents() + " cents to "
                + ledger.walletId();
        if (!ledger.walletId().equals(wallet) || ledger.micros() != credits.micros() || ledger.priceCents() != cents) {
            differences.add(new Difference(Kind.PURCHASE_MISMATCH, session.getId(), wallet, expected, actual,
                    "credited differently from what was paid"));
        }
    }

    /** The credits a reversal should take back: the refunded share of the purchase, to within a micro-credit. */
    private static void compareReversal(String stripeId, Long amountCents, StripePurchases.Purchase purchase,
                                        LedgerReversal ledger, List<Difference> differences) {
        long cents = amountCents == null ? 0 : amountCents;
        long expected = BigInteger.valueOf(purchase.creditsMicros()).multiply(BigInteger.valueOf(cents))
                .divide(BigInteger.valueOf(purchase.amountCents())).longValueExact();
        String expectedText = Credits.ofMicros(expected) + " credits from " + purchase.sessionId();
        if (ledger == null) {
            differences.add(new Difference(Kind.MISSING_REVERSAL, stripeId, purchase.walletId().value(), expectedText,
                    "nothing", cents + " cents refunded on Stripe, no credits taken back"));
            return;
        }
        String actual = Credits.ofMicros(ledger.micros()) + " credits from " + ledger.paymentId();
        // Each reversal is rounded down on the running total, so one may be a micro-credit off its own share.
        if (!ledger.paymentId().equals(purchase.sessionId()) || Math.abs(ledger.micros() - expected) > 1) {
            differences.add(new Difference(Kind.REVERSAL_MISMATCH, stripeId, purchase.walletId().value(), expectedText,
                    actual, "taken back out of proportion to the money returned"));
        }
    }

    private record LedgerSide(List<LedgerPurchase> purchases, List<LedgerReversal> reversals) {
    }

    /**
     * The ledger's purchases and reversals since {@code from}, read as every other reader of events reads them:
     * through the event storage engine, its upcasters and Axon's serializer (never the stored JSON by field
     * name). Only the two payload types are deserialized.
     */
    private LedgerSide ledger(Instant from, Optional<String> wallet) {
        List<LedgerPurchase> bought = new ArrayList<>();
        List<LedgerReversal> reversed = new ArrayList<>();
        // The storage engine's own stream: every event committed when it is read, to the end (the event store's
        // consumer stream answers "nothing more" while its producer has not fetched the newest events yet).
        try (Stream<? extends TrackedEventMessage<?>> stream = events.readEvents(events.createTokenAt(from), false)) {
            stream.forEach(message -> {
                Class<?> type = message.getPayloadType();
                if ((type != CreditsPurchased.class && type != PurchaseReversed.class)
                        || !(message instanceof DomainEventMessage<?> event)
                        || wallet.isPresent() && !wallet.get().equals(event.getAggregateIdentifier())) {
                    return;
                }
                if (event.getPayload() instanceof CreditsPurchased p) {
                    bought.add(new LedgerPurchase(p.walletId().value(), p.paymentId(), p.amount().micros(),
                            p.priceCents(), event.getTimestamp()));
                } else if (event.getPayload() instanceof PurchaseReversed r) {
                    reversed.add(new LedgerReversal(r.walletId().value(), r.reversalId(), r.paymentId(),
                            r.amount().micros(), event.getTimestamp()));
                }
            });
        }
        return new LedgerSide(bought, reversed);
    }

    private static boolean within(Instant at, Instant from, Instant to) {
        return !at.isBefore(from) && at.isBefore(to);
    }

    /** Stripe filters by whole seconds: an exclusive end rounds up so nothing in its last second is lost. */
    private static long ceilSeconds(Instant to) {
        return to.getNano() == 0 ? to.getEpochSecond() : to.getEpochSecond() + 1;
    }

    private interface StripeCall<T> {
        T call() throws StripeException;
    }

    /** The object, or null when Stripe answers 404. */
    private static <T> T retrieve(StripeCall<T> call) throws StripeException {
        try {
            return call.call();
        } catch (StripeException e) {
            if (e.getStatusCode() != null && e.getStatusCode() == 404) {
                return null;
            }
            throw e;
        }
    }
}
