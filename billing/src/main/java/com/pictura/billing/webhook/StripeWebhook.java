package com.pictura.billing.webhook;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import com.google.gson.JsonParseException;
import com.pictura.billing.BillingProperties;
import com.pictura.billing.checkout.StripeMetadata;
import com.pictura.billing.checkout.StripeMetadata.Sale;
import com.pictura.billing.checkout.StripePurchases;
import com.pictura.billing.checkout.StripePurchases.Purchase;
import com.pictura.billing.checkout.StripePurchases.Status;
import com.pictura.billing.stripe.StripeApi;
import com.pictura.domain.actor.Actor;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.WalletCommand;
import com.pictura.domain.wallet.WalletCommand.PurchaseCredits;
import com.pictura.domain.wallet.WalletCommand.ReversePurchase;
import com.stripe.exception.EventDataObjectDeserializationException;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.exception.StripeException;
import com.stripe.model.Charge;
import com.stripe.model.Dispute;
import com.stripe.model.Event;
import com.stripe.model.Refund;
import com.stripe.model.StripeObject;
import com.stripe.model.checkout.Session;
import com.stripe.net.Webhook;
import com.stripe.param.RefundListParams;
import com.stripe.param.checkout.SessionListParams;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns Stripe's events into ledger commands, exactly once.
 *
 * <ul>
 *   <li>The signature is checked first (with the configured tolerance); nothing is read or written before.</li>
 *   <li>Each event id is inserted into {@code stripe_events} in the same database transaction as the command
 *       that applies its effect (Axon's unit of work joins the Spring transaction): both commit or neither does,
 *       and a redelivered event finds its row and changes nothing.</li>
 *   <li>The business object de-duplicates too: the purchase is keyed by the Checkout Session id (the ledger's
 *       payment id), a reversal by the refund or dispute id (the ledger's reversal id), and the wallet itself is
 *       idempotent by both. Two different events telling the same story credit once.</li>
 *   <li>Order does not matter: a refund or dispute that arrives before its payment's event recovers the
 *       purchase from Stripe's API first; a payment event arriving after a later state changes nothing.</li>
 *   <li>Each transaction sends at most one command, as its very last statement: every row is written before
 *       it. Axon's unit of work ends (and the wallet cache keeps its result) when the command does, not when the
 *       Spring transaction commits; a statement failing after the command would roll the events back but leave
 *       a cached wallet that believes in them, and Stripe's retry would then be answered "already applied".</li>
 * </ul>
 */
@Service
public class StripeWebhook {

    private static final Logger log = LoggerFactory.getLogger(StripeWebhook.class);

    public enum Outcome {
        /** Credits moved. */
        APPLIED,
        /** Recorded; nothing to move (a pending payment, an opened dispute, a refund already taken back). */
        RECORDED,
        /** Not about a Pictura purchase, or a type Pictura does not use. */
        IGNORED,
        /** Seen before: nothing changed. */
        DUPLICATE
    }

    public record Result(String eventId, String type, Outcome outcome) {
    }

    /** A webhook whose signature, timestamp or body does not check out. */
    public static class InvalidWebhook extends RuntimeException {
        public InvalidWebhook(String message) {
            super(message, null, false, false);
        }
    }

    private final BillingProperties.Stripe settings;
    private final StripeApi stripe;
    private final StripePurchases purchases;
    private final CommandGateway commands;
    private final TransactionTemplate transaction;
    private final JdbcClient jdbc;
    private final MeterRegistry meters;

    public StripeWebhook(BillingProperties properties, StripeApi stripe, StripePurchases purchases,
                         CommandGateway commands, TransactionTemplate transaction, JdbcClient jdbc,
                         MeterRegistry meters) {
        this.settings = properties.stripe();
        this.stripe = stripe;
        this.purchases = purchases;
        this.commands = commands;
        this.transaction = transaction;
        this.jdbc = jdbc;
        this.meters = meters;
    }

    /**
     * @throws InvalidWebhook for a bad signature, an old timestamp or a tampered or unreadable body
     * @throws RuntimeException when the ledger or Stripe cannot be reached: answer 5xx, Stripe retries
     */
    public Result handle(String payload, String signatureHeader) {
        Event event = verify(payload, signatureHeader);
        Result result;
        if (seen(event.getId())) {
            result = new Result(event.getId(), event.getType(), Outcome.DUPLICATE);
        } else {
            result = new Result(event.getId(), event.getType(), dispatch(event));
        }
        meters.counter("pictura.billing.webhook.events", "type", event.getType(),
                "outcome", result.outcome().name().toLowerCase()).increment();
        log.info("Stripe event {} ({}): {}", event.getId(), event.getType(), result.outcome());
        return result;
    }

    private Event verify(String payload, String signatureHeader) {
        if (payload == null || signatureHeader == null || signatureHeader.isBlank()) {
            throw new InvalidWebhook("missing body or Stripe-Signature header");
        }
        try {
            return Webhook.constructEvent(payload, signatureHeader, settings.webhookSecret(),
                    settings.webhookTolerance().toSeconds());
        } catch (SignatureVerificationException e) {
            throw new InvalidWebhook("signature verification failed: " + e.getMessage());
        } catch (JsonParseException | IllegalStateException | ClassCastException e) {
            throw new InvalidWebhook("the body is not a Stripe event");
        } catch (RuntimeException e) {
            // A malformed header (t=, t=abc, a timestamp beyond a long): nothing has been read or written, and a
            // 5xx would make Stripe retry a request that can never succeed.
            throw new InvalidWebhook("the Stripe-Signature header is malformed");
        }
    }

    private Outcome dispatch(Event event) {
        return switch (event.getType()) {
            case "checkout.session.completed", "checkout.session.async_payment_succeeded",
                 "checkout.session.async_payment_failed" -> onSession(event, object(event, Session.class));
            case "charge.refunded" -> onRefunded(event, object(event, Charge.class));
            case "charge.dispute.created" -> onDisputeCreated(event, object(event, Dispute.class));
            case "charge.dispute.closed" -> onDisputeClosed(event, object(event, Dispute.class));
            default -> Outcome.IGNORED;
        };
    }

    // --- payments ---

    private Outcome onSession(Event event, Session session) {
        Optional<Sale> sale = StripeMetadata.sale(session.getClientReferenceId(), session.getMetadata());
        if (sale.isEmpty() || !"payment".equals(session.getMode() == null ? "payment" : session.getMode())) {
            return record(event, session.getId(), Outcome.IGNORED);
        }
        Status target = switch (event.getType()) {
            case "checkout.session.async_payment_succeeded" -> Status.PAID;
            case "checkout.session.async_payment_failed" -> Status.FAILED;
            default -> switch (String.valueOf(session.getPaymentStatus())) {
                case "paid" -> Status.PAID;
                case "unpaid" -> Status.PENDING;
                default -> null;
            };
        };
        if (target == null) {
            return record(event, session.getId(), Outcome.IGNORED);
        }
        return inTransaction(() -> {
            if (!insertEvent(event, session.getId())) {
                return Outcome.DUPLICATE;
            }
            Decision decision = settle(event, session, sale.get(), target);
            outcome(event, decision.outcome());
            return send(decision);
        });
    }

    /**
     * What a transaction decided: the outcome to record and at most one ledger command, which {@link #send}
     * sends once every row is written.
     */
    private record Decision(Outcome outcome, WalletCommand command) {
        static Decision of(Outcome outcome) {
            return new Decision(outcome, null);
        }
    }

    /** The last statement of a transaction: its ledger command, if any. */
    private Outcome send(Decision decision) {
        if (decision.command() != null) {
            commands.sendAndWait(decision.command());
        }
        return decision.outcome();
    }

    /** Moves a purchase to {@code target}; decides to credit it if it just became paid. */
    private Decision settle(Event event, Session session, Sale sale, Status target) {
        long amountCents = session.getAmountTotal() == null ? 0 : session.getAmountTotal();
        String currency = session.getCurrency() == null ? "usd" : session.getCurrency();
        purchases.remember(session.getId(), sale.account(), sale.packId(), Credits.of(sale.credits()).micros(),
                amountCents, currency);
        Purchase purchase = purchases.lock(session.getId()).orElseThrow();
        purchases.paymentDetails(session.getId(), session.getPaymentIntent(), null);
        if (purchase.status() == Status.PAID || purchase.status() == target) {
            return Decision.of(Outcome.RECORDED);
        }
        if (target != Status.PAID) {
            if (purchase.status() != Status.FAILED) {
                purchases.status(session.getId(), target, purchase.amountCents());
            }
            return Decision.of(Outcome.RECORDED);
        }
        purchases.status(session.getId(), Status.PAID, amountCents);
        return new Decision(Outcome.APPLIED, new PurchaseCredits(purchase.walletId(), session.getId(),
                Credits.ofMicros(purchase.creditsMicros()), amountCents, currency, Actor.stripe(event.getId())));
    }

    /**
     * The purchase a charge paid for. When its payment's event has not arrived yet, the paid Checkout Session
     * is read from Stripe and credited first, so a refund or dispute never waits for an event that may come last.
     */
    private Optional<Purchase> purchaseOf(Event event, String paymentIntentId, String chargeId) {
        Optional<Purchase> known = purchases.findByPayment(paymentIntentId, chargeId);
        if (known.isPresent() && known.get().status() == Status.PAID) {
            return known;
        }
        if (paymentIntentId == null) {
            return known;
        }
        Session session;
        try {
            session = stripe.client().v1().checkout().sessions()
                    .list(SessionListParams.builder().setPaymentIntent(paymentIntentId).setLimit(10L).build())
                    .getData().stream()
                    .filter(s -> "paid".equals(s.getPaymentStatus()))
                    .findFirst().orElse(null);
        } catch (StripeException e) {
            throw new IllegalStateException("Stripe could not be asked for the session of " + paymentIntentId, e);
        }
        if (session == null) {
            return known;
        }
        Optional<Sale> sale = StripeMetadata.sale(session.getClientReferenceId(), session.getMetadata());
        if (sale.isEmpty()) {
            return known;
        }
        inTransaction(() -> send(settle(event, session, sale.get(), Status.PAID)));
        return purchases.find(session.getId());
    }

    // --- refunds and disputes ---

    private Outcome onRefunded(Event event, Charge charge) {
        Optional<Purchase> found = purchaseOf(event, charge.getPaymentIntent(), charge.getId());
        if (found.isEmpty() || found.get().status() != Status.PAID) {
            return record(event, charge.getId(), Outcome.IGNORED);
        }
        Purchase purchase = found.get();
        List<Refund> fresh = new ArrayList<>();
        for (Refund refund : refundsOf(charge.getId())) {
            if (!purchases.reversalExists(refund.getId())) {
                fresh.add(refund);
            }
        }
        if (fresh.isEmpty()) {
            return inTransaction(() -> {
                if (!insertEvent(event, charge.getId())) {
                    return Outcome.DUPLICATE;
                }
                purchases.paymentDetails(purchase.sessionId(), charge.getPaymentIntent(), charge.getId());
                outcome(event, Outcome.RECORDED);
                return Outcome.RECORDED;
            });
        }
        Outcome outcome = Outcome.RECORDED;
        for (int i = 0; i < fresh.size(); i++) {
            Refund refund = fresh.get(i);
            boolean last = i == fresh.size() - 1;
            Outcome step = inTransaction(() -> {
                if (last && !insertEvent(event, charge.getId())) {
                    return Outcome.DUPLICATE;
                }
                purchases.paymentDetails(purchase.sessionId(), charge.getPaymentIntent(), charge.getId());
                Decision reversed = reverse(event, purchase.sessionId(), refund.getId(), "REFUND",
                        refund.getAmount(), "Stripe refund " + refund.getId());
                if (last) {
                    outcome(event, reversed.outcome());
                }
                return send(reversed);
            });
            if (step == Outcome.APPLIED) {
                outcome = Outcome.APPLIED;
            } else if (step == Outcome.DUPLICATE) {
                return Outcome.DUPLICATE;
            }
        }
        return outcome;
    }

    /** Refunds of a charge that returned (or are returning) money, oldest first. */
    private List<Refund> refundsOf(String chargeId) {
        try {
            List<Refund> refunds = new ArrayList<>();
            for (Refund refund : stripe.client().v1().refunds()
                    .list(RefundListParams.builder().setCharge(chargeId).setLimit(100L).build())
                    .autoPagingIterable()) {
                if ("succeeded".equals(refund.getStatus()) || "pending".equals(refund.getStatus())) {
                    refunds.add(refund);
                }
            }
            refunds.sort(Comparator.comparing((Refund r) -> r.getCreated() == null ? 0L : r.getCreated())
                    .thenComparing(Refund::getId));
            return refunds;
        } catch (StripeException e) {
            throw new IllegalStateException("Stripe could not be asked for the refunds of " + chargeId, e);
        }
    }

    private Outcome onDisputeCreated(Event event, Dispute dispute) {
        Optional<Purchase> found = purchaseOf(event, dispute.getPaymentIntent(), dispute.getCharge());
        if (found.isEmpty() || found.get().status() != Status.PAID) {
            return record(event, dispute.getId(), Outcome.IGNORED);
        }
        // Credits stay until the dispute is lost: the wallet has no way to give back a reversal if it is won.
        log.warn("Dispute {} opened on purchase {} ({} cents)", dispute.getId(), found.get().sessionId(),
                dispute.getAmount());
        return inTransaction(() -> {
            if (!insertEvent(event, dispute.getId())) {
                return Outcome.DUPLICATE;
            }
            purchases.paymentDetails(found.get().sessionId(), dispute.getPaymentIntent(), dispute.getCharge());
            purchases.dispute(dispute.getId(), found.get().sessionId(), dispute.getAmount(), dispute.getStatus());
            outcome(event, Outcome.RECORDED);
            return Outcome.RECORDED;
        });
    }

    private Outcome onDisputeClosed(Event event, Dispute dispute) {
        Optional<Purchase> found = purchaseOf(event, dispute.getPaymentIntent(), dispute.getCharge());
        if (found.isEmpty() || found.get().status() != Status.PAID) {
            return record(event, dispute.getId(), Outcome.IGNORED);
        }
        String sessionId = found.get().sessionId();
        return inTransaction(() -> {
            if (!insertEvent(event, dispute.getId())) {
                return Outcome.DUPLICATE;
            }
            purchases.paymentDetails(sessionId, dispute.getPaymentIntent(), dispute.getCharge());
            purchases.dispute(dispute.getId(), sessionId, dispute.getAmount(), dispute.getStatus());
            Decision decision = "lost".equals(dispute.getStatus())
                    ? reverse(event, sessionId, dispute.getId(), "DISPUTE", dispute.getAmount(),
                    "Stripe dispute " + dispute.getId() + " lost")
                    : Decision.of(Outcome.RECORDED);
            outcome(event, decision.outcome());
            return send(decision);
        });
    }

    /**
     * Records the reversal of {@code amountCents} more of a purchase's price, once per reversal id, and decides
     * to take back its credits.
     */
    private Decision reverse(Event event, String sessionId, String reversalId, String kind, Long amountCents,
                            String reason) {
        Purchase purchase = purchases.lock(sessionId).orElseThrow();
        if (purchases.reversalExists(reversalId)) {
            return Decision.of(Outcome.RECORDED);
        }
        ProportionalCredits.Step step = ProportionalCredits.next(purchase.creditsMicros(), purchase.amountCents(),
                purchase.reversedCents(), purchase.reversedCredits(), amountCents == null ? 0 : amountCents);
        purchases.recordReversal(purchase, reversalId, kind, amountCents == null ? 0 : amountCents, step.credits(),
                step.reversedCents(), step.reversedCredits(), event.getId());
        if (step.credits() == 0) {
            return Decision.of(Outcome.RECORDED);
        }
        return new Decision(Outcome.APPLIED, new ReversePurchase(purchase.walletId(), reversalId, sessionId,
                Credits.ofMicros(step.credits()), reason, Actor.stripe(event.getId())));
    }

    // --- the exactly-once record ---

    private boolean seen(String eventId) {
        return jdbc.sql("select count(*) from stripe_events where event_id = ?").param(eventId)
                .query(Long.class).single() > 0;
    }

    /** Inserts the event's row; false if it is there already (then the caller changes nothing). */
    private boolean insertEvent(Event event, String objectId) {
        return jdbc.sql("""
                insert into stripe_events (event_id, type, object_id, outcome, received_at)
                values (?, ?, ?, 'RECORDED', now())
                on conflict (event_id) do nothing""")
                .params(event.getId(), event.getType(), objectId).update() == 1;
    }

    private void outcome(Event event, Outcome outcome) {
        jdbc.sql("update stripe_events set outcome = ? where event_id = ?")
                .params(outcome.name(), event.getId()).update();
    }

    private Outcome record(Event event, String objectId, Outcome outcome) {
        return inTransaction(() -> {
            if (!insertEvent(event, objectId)) {
                return Outcome.DUPLICATE;
            }
            outcome(event, outcome);
            return outcome;
        });
    }

    private <T> T inTransaction(Supplier<T> work) {
        return transaction.execute(status -> work.get());
    }

    private static <T extends StripeObject> T object(Event event, Class<T> type) {
        // Deserialized safely only when the event's API version is stripe-java's; an endpoint pinned to another
        // version still works for the few fields read here.
        StripeObject object = event.getDataObjectDeserializer().getObject().orElseGet(() -> {
            try {
                return event.getDataObjectDeserializer().deserializeUnsafe();
            } catch (EventDataObjectDeserializationException e) {
                throw new InvalidWebhook("the event's object cannot be read: " + e.getMessage());
            }
        });
        if (!type.isInstance(object)) {
            throw new InvalidWebhook("expected a " + type.getSimpleName() + " in " + event.getType());
        }
        return type.cast(object);
    }
}
