package com.pictura.domain.wallet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.pictura.domain.InvalidCommand;
import com.pictura.domain.Refusal;
import com.pictura.domain.wallet.WalletCommand.AdjustCredits;
import com.pictura.domain.wallet.WalletCommand.CommitCharge;
import com.pictura.domain.wallet.WalletCommand.ForfeitCredits;
import com.pictura.domain.wallet.WalletCommand.GrantCredits;
import com.pictura.domain.wallet.WalletCommand.OpenWallet;
import com.pictura.domain.wallet.WalletCommand.PurchaseCredits;
import com.pictura.domain.wallet.WalletCommand.RefundCharge;
import com.pictura.domain.wallet.WalletCommand.ReleaseReservation;
import com.pictura.domain.wallet.WalletCommand.ReserveCredits;
import com.pictura.domain.wallet.WalletCommand.ReversePurchase;
import com.pictura.domain.wallet.WalletEvent.ChargeRefunded;
import com.pictura.domain.wallet.WalletEvent.CreditsAdjusted;
import com.pictura.domain.wallet.WalletEvent.CreditsForfeited;
import com.pictura.domain.wallet.WalletEvent.CreditsGranted;
import com.pictura.domain.wallet.WalletEvent.CreditsPurchased;
import com.pictura.domain.wallet.WalletEvent.CreditsReserved;
import com.pictura.domain.wallet.WalletEvent.ExpiredHoldCharged;
import com.pictura.domain.wallet.WalletEvent.PurchaseReversed;
import com.pictura.domain.wallet.WalletEvent.ReservationReleased;
import com.pictura.domain.wallet.WalletEvent.UsageCharged;
import com.pictura.domain.wallet.WalletEvent.WalletOpened;
import com.pictura.domain.wallet.WalletRefusals.ChargeExceedsHold;
import com.pictura.domain.wallet.WalletRefusals.IdempotencyConflict;
import com.pictura.domain.wallet.WalletRefusals.ReservationAlreadySettled;
import com.pictura.domain.wallet.WalletRefusals.InsufficientCredits;
import com.pictura.domain.wallet.WalletRefusals.RefundExceedsCharge;
import com.pictura.domain.wallet.WalletRefusals.ReversalExceedsPurchase;
import com.pictura.domain.wallet.WalletRefusals.UnknownPayment;
import com.pictura.domain.wallet.WalletRefusals.UnknownReservation;
import com.pictura.domain.wallet.WalletRefusals.WalletClosed;

/**
 * A small model of the ledger written from the rules in ARCHITECTURE.md, on plain longs of micro-credits, used as
 * the oracle of {@link CreditWalletModelProperties}. For every command it says either exactly which events the
 * wallet must emit, or which refusals are acceptable (where several rules forbid a command at once, any of them
 * may answer). A repeat of an operation id with the same content must change nothing, whatever else holds.
 */
final class WalletModel {

    /** What a command must lead to: exactly {@code events}, or one of {@code refusals}. */
    record Expectation(List<WalletEvent> events, Set<Class<? extends Refusal>> refusals, long needed,
                       long available) {

        static Expectation emits(WalletEvent... events) {
            return new Expectation(List.of(events), Set.of(), 0, 0);
        }

        static Expectation refused(Set<Class<? extends Refusal>> refusals) {
            return new Expectation(List.of(), Set.copyOf(refusals), 0, 0);
        }

        static Expectation insufficient(long needed, long available, Set<Class<? extends Refusal>> refusals) {
            return new Expectation(List.of(), Set.copyOf(refusals), needed, available);
        }

        boolean isRefusal() {
            return !refusals.isEmpty();
        }

        boolean isRepeat() {
            return refusals.isEmpty() && events.isEmpty();
        }
    }

    static final class Hold {
        final ReservationId id;
        final long amount;
        final long promotional;
        final long paid;
        final String apiKeyId;
        final String model;
        final Instant expiresAt;
        boolean released;
        boolean releasedAsExpired;
        boolean charged;
        long chargeAmount;
        long chargePromotional;
        long chargePaid;
        long refundedPromotional;
        long refundedPaid;

        Hold(CreditsReserved e) {
            id = e.reservationId();
            amount = e.amount().micros();
            promotional = e.promotional().micros();
            paid = e.paid().micros();
            apiKeyId = e.apiKeyId();
            model = e.model();
            expiresAt = e.expiresAt();
        }

        boolean isOpen() {
            return !released && !charged;
        }

        long refundable() {
            return charged ? chargeAmount - refundedPromotional - refundedPaid : 0;
        }
    }

    static final class Payment {
        final long amount;
        final long priceCents;
        final String currency;
        long reversed;

        Payment(long amount, long priceCents, String currency) {
            this.amount = amount;
            this.priceCents = priceCents;
            this.currency = currency;
        }
    }

    record Grant(long amount, String reason) {
    }

    record Adjustment(long amount, String reason, String ticket) {
    }

    record Refund(ReservationId reservationId, long amount) {
    }

    record Reversal(String paymentId, long amount) {
    }

    private final WalletId walletId;
    private boolean opened;
    private boolean closed;
    private long promotional;
    private long paid;
    private long reserved;
    private final Map<String, Grant> grants = new LinkedHashMap<>();
    private final Map<String, Payment> payments = new LinkedHashMap<>();
    private final Map<String, Hold> holds = new LinkedHashMap<>();
    private final Map<String, Adjustment> adjustments = new LinkedHashMap<>();
    private final Map<String, Refund> refunds = new LinkedHashMap<>();
    private final Map<String, Reversal> reversals = new LinkedHashMap<>();

    WalletModel(WalletId walletId) {
        this.walletId = walletId;
    }

    // --- what the rules say a command must do ---

    Expectation expect(WalletCommand command) {
        if (command instanceof OpenWallet c) {
            return open(c);
        } else if (command instanceof GrantCredits c) {
            return grant(c);
        } else if (command instanceof PurchaseCredits c) {
            return purchase(c);
        } else if (command instanceof ReserveCredits c) {
            return reserve(c);
        } else if (command instanceof CommitCharge c) {
            return commit(c);
        } else if (command instanceof ReleaseReservation c) {
            return release(c);
        } else if (command instanceof AdjustCredits c) {
            return adjust(c);
        } else if (command instanceof RefundCharge c) {
            return refund(c);
        } else if (command instanceof ReversePurchase c) {
            return reverse(c);
        } else if (command instanceof ForfeitCredits c) {
            return forfeit(c);
        }
        throw new IllegalArgumentException("no rule for " + command);
    }

    private Expectation open(OpenWallet c) {
        long grant = c.signupGrant().micros();
        if (grant == 0) {
            return Expectation.emits(new WalletOpened(walletId, c.accountId()));
        }
        return Expectation.emits(new WalletOpened(walletId, c.accountId()),
                new CreditsGranted(walletId, "signup", c.signupGrant(), "sign-up bonus"));
    }

    private Expectation grant(GrantCredits c) {
        if (!positive(c.amount())) {
            return Expectation.refused(Set.of(InvalidCommand.class));
        }
        Grant earlier = grants.get(c.grantId().strip());
        if (earlier != null) {
            return earlier.equals(new Grant(c.amount().micros(), c.reason().strip()))
                    ? Expectation.emits()
                    : Expectation.refused(closed ? Set.of(IdempotencyConflict.class, WalletClosed.class)
                            : Set.of(IdempotencyConflict.class));
        }
        if (closed) {
            return Expectation.refused(Set.of(WalletClosed.class));
        }
        return Expectation.emits(new CreditsGranted(walletId, c.grantId().strip(), c.amount(), c.reason().strip()));
    }

    private Expectation purchase(PurchaseCredits c) {
        if (!positive(c.amount())) {
            return Expectation.refused(Set.of(InvalidCommand.class));
        }
        String currency = c.currency().strip().toLowerCase(Locale.ROOT);
        Payment earlier = payments.get(c.paymentId().strip());
        if (earlier != null) {
            boolean same = earlier.amount == c.amount().micros() && earlier.priceCents == c.priceCents()
                    && earlier.currency.equals(currency);
            return same ? Expectation.emits() : Expectation.refused(Set.of(IdempotencyConflict.class));
        }
        // Money that arrived is recorded even on a closed wallet.
        return Expectation.emits(
                new CreditsPurchased(walletId, c.paymentId().strip(), c.amount(), c.priceCents(), currency));
    }

    private Expectation reserve(ReserveCredits c) {
        if (!positive(c.amount())) {
            return Expectation.refused(Set.of(InvalidCommand.class));
        }
        long amount = c.amount().micros();
        Hold earlier = holds.get(c.reservationId().value());
        if (earlier != null) {
            boolean same = earlier.amount == amount && Objects.equals(earlier.apiKeyId, c.apiKeyId())
                    && Objects.equals(earlier.model, c.model());
            return same ? Expectation.emits() : Expectation.refused(Set.of(IdempotencyConflict.class));
        }
        if (closed) {
            return Expectation.refused(available() < amount
                    ? Set.of(WalletClosed.class, InsufficientCredits.class) : Set.of(WalletClosed.class));
        }
        if (available() < amount) {
            return Expectation.insufficient(amount, available(), Set.of(InsufficientCredits.class));
        }
        long fromPromotional = Math.min(amount, promotional);
        return Expectation.emits(new CreditsReserved(walletId, c.reservationId(), c.amount(),
                micros(fromPromotional), micros(amount - fromPromotional), c.apiKeyId(), c.model(), c.expiresAt()));
    }

    private Expectation commit(CommitCharge c) {
        Hold hold = holds.get(c.reservationId().value());
        boolean invalid = c.amount().isNegative();
        if (hold == null) {
            return Expectation.refused(invalid ? Set.of(UnknownReservation.class, InvalidCommand.class)
                    : Set.of(UnknownReservation.class));
        }
        if (invalid) {
            return Expectation.refused(Set.of(InvalidCommand.class));
        }
        long amount = c.amount().micros();
        if (hold.charged) {
            return hold.chargeAmount == amount ? Expectation.emits()
                    : Expectation.refused(amount > hold.amount
                            ? Set.of(ReservationAlreadySettled.class, ChargeExceedsHold.class)
                            : Set.of(ReservationAlreadySettled.class));
        }
        if (hold.released && hold.releasedAsExpired && !c.decidedAt().isAfter(hold.expiresAt)) {
            // Decided in time, committed late: charged out of the lots as they are now.
            if (amount > hold.amount) {
                return Expectation.refused(closed ? Set.of(ChargeExceedsHold.class, WalletClosed.class)
                        : Set.of(ChargeExceedsHold.class));
            }
            if (closed) {
                return Expectation.refused(Set.of(WalletClosed.class));
            }
            long fromPromotional = Math.min(amount, Math.max(promotional, 0));
            return Expectation.emits(new ExpiredHoldCharged(walletId, hold.id, c.amount(), micros(fromPromotional),
                    micros(amount - fromPromotional), c.usage()));
        }
        if (hold.released) {
            return Expectation.refused(amount > hold.amount
                    ? Set.of(ReservationAlreadySettled.class, ChargeExceedsHold.class)
                    : Set.of(ReservationAlreadySettled.class));
        }
        if (amount > hold.amount) {
            return Expectation.refused(Set.of(ChargeExceedsHold.class));
        }
        long fromPromotional = Math.min(amount, hold.promotional);
        long fromPaid = amount - fromPromotional;
        UsageCharged charged = new UsageCharged(walletId, hold.id, c.amount(), micros(fromPromotional),
                micros(fromPaid), micros(hold.promotional), micros(hold.paid), c.usage());
        return settledOnClosedWallet(charged, hold.promotional - fromPromotional, hold.paid - fromPaid);
    }

    private Expectation release(ReleaseReservation c) {
        Hold hold = holds.get(c.reservationId().value());
        if (hold == null) {
            return Expectation.refused(Set.of(UnknownReservation.class));
        }
        if (hold.released) {
            return Expectation.emits();
        }
        if (hold.charged) {
            return Expectation.refused(Set.of(ReservationAlreadySettled.class));
        }
        return settledOnClosedWallet(new ReservationReleased(walletId, hold.id, micros(hold.amount),
                micros(hold.promotional), micros(hold.paid), c.reason().strip()), hold.promotional, hold.paid);
    }

    /** A closed wallet forfeits whatever a late settlement returns to it. */
    private Expectation settledOnClosedWallet(WalletEvent settlement, long promotionalBack, long paidBack) {
        if (closed && (promotionalBack > 0 || paidBack > 0)) {
            return Expectation.emits(settlement, new CreditsForfeited(walletId, micros(promotionalBack),
                    micros(paidBack), CreditWallet.CLOSED_REMAINDER));
        }
        return Expectation.emits(settlement);
    }

    private Expectation adjust(AdjustCredits c) {
        if (c.amount().isZero()) {
            return Expectation.refused(Set.of(InvalidCommand.class));
        }
        long amount = c.amount().micros();
        Adjustment earlier = adjustments.get(c.adjustmentId().strip());
        if (earlier != null) {
            return earlier.equals(new Adjustment(amount, c.reason().strip(), c.ticket().strip()))
                    ? Expectation.emits() : Expectation.refused(Set.of(IdempotencyConflict.class));
        }
        if (closed) {
            return Expectation.refused(Set.of(WalletClosed.class));
        }
        // In the user's favour: a gift, so promotional. Against: promotional credits go first.
        long toPromotional = amount > 0 ? amount : Math.max(amount, -promotional);
        return Expectation.emits(new CreditsAdjusted(walletId, c.adjustmentId().strip(), c.amount(),
                micros(toPromotional), micros(amount - toPromotional), c.reason().strip(), c.ticket().strip()));
    }

    private Expectation refund(RefundCharge c) {
        if (!positive(c.amount())) {
            return Expectation.refused(Set.of(InvalidCommand.class));
        }
        long amount = c.amount().micros();
        Refund earlier = refunds.get(c.refundId().strip());
        if (earlier != null) {
            return earlier.equals(new Refund(c.reservationId(), amount))
                    ? Expectation.emits() : Expectation.refused(Set.of(IdempotencyConflict.class));
        }
        Hold hold = holds.get(c.reservationId().value());
        if (closed) {
            // Whatever else is wrong with it, a refund to a closed wallet is refused.
            return Expectation.refused(Set.of(WalletClosed.class, UnknownReservation.class,
                    RefundExceedsCharge.class));
        }
        if (hold == null) {
            return Expectation.refused(Set.of(UnknownReservation.class));
        }
        if (amount > hold.refundable()) {
            return Expectation.refused(Set.of(RefundExceedsCharge.class));
        }
        // Paid credits go back first.
        long toPaid = Math.min(amount, hold.chargePaid - hold.refundedPaid);
        return Expectation.emits(new ChargeRefunded(walletId, c.refundId().strip(), hold.id, c.amount(),
                micros(amount - toPaid), micros(toPaid), c.reason().strip()));
    }

    private Expectation reverse(ReversePurchase c) {
        if (!positive(c.amount())) {
            return Expectation.refused(Set.of(InvalidCommand.class));
        }
        long amount = c.amount().micros();
        Reversal earlier = reversals.get(c.reversalId().strip());
        if (earlier != null) {
            return earlier.equals(new Reversal(c.paymentId().strip(), amount))
                    ? Expectation.emits() : Expectation.refused(Set.of(IdempotencyConflict.class));
        }
        Payment payment = payments.get(c.paymentId().strip());
        if (payment == null) {
            return Expectation.refused(Set.of(UnknownPayment.class));
        }
        if (amount > payment.amount - payment.reversed) {
            return Expectation.refused(Set.of(ReversalExceedsPurchase.class));
        }
        return Expectation.emits(new PurchaseReversed(walletId, c.reversalId().strip(), c.paymentId().strip(),
                c.amount(), c.reason().strip()));
    }

    private Expectation forfeit(ForfeitCredits c) {
        if (closed) {
            return Expectation.emits();
        }
        return Expectation.emits(new CreditsForfeited(walletId, micros(Math.max(promotional, 0)),
                micros(Math.max(paid, 0)), c.reason().strip()));
    }

    // --- the model's own state, moved by the events it expected ---

    void apply(WalletEvent event) {
        if (event instanceof WalletOpened) {
            opened = true;
        } else if (event instanceof CreditsGranted e) {
            grants.put(e.grantId(), new Grant(e.amount().micros(), e.reason()));
            promotional += e.amount().micros();
        } else if (event instanceof CreditsPurchased e) {
            payments.put(e.paymentId(), new Payment(e.amount().micros(), e.priceCents(), e.currency()));
            paid += e.amount().micros();
        } else if (event instanceof CreditsReserved e) {
            holds.put(e.reservationId().value(), new Hold(e));
            promotional -= e.promotional().micros();
            paid -= e.paid().micros();
            reserved += e.amount().micros();
        } else if (event instanceof UsageCharged e) {
            Hold hold = holds.get(e.reservationId().value());
            hold.charged = true;
            hold.chargeAmount = e.amount().micros();
            hold.chargePromotional = e.promotional().micros();
            hold.chargePaid = e.paid().micros();
            promotional += hold.promotional - hold.chargePromotional;
            paid += hold.paid - hold.chargePaid;
            reserved -= hold.amount;
        } else if (event instanceof ReservationReleased e) {
            Hold hold = holds.get(e.reservationId().value());
            hold.released = true;
            hold.releasedAsExpired = e.reason().equals(ReleaseReservation.EXPIRED);
            promotional += hold.promotional;
            paid += hold.paid;
            reserved -= hold.amount;
        } else if (event instanceof ExpiredHoldCharged e) {
            Hold hold = holds.get(e.reservationId().value());
            hold.released = false;
            hold.charged = true;
            hold.chargeAmount = e.amount().micros();
            hold.chargePromotional = e.promotional().micros();
            hold.chargePaid = e.paid().micros();
            promotional -= e.promotional().micros();
            paid -= e.paid().micros();
        } else if (event instanceof CreditsAdjusted e) {
            adjustments.put(e.adjustmentId(), new Adjustment(e.amount().micros(), e.reason(), e.ticket()));
            promotional += e.promotional().micros();
            paid += e.paid().micros();
        } else if (event instanceof ChargeRefunded e) {
            refunds.put(e.refundId(), new Refund(e.reservationId(), e.amount().micros()));
            Hold hold = holds.get(e.reservationId().value());
            hold.refundedPromotional += e.promotional().micros();
            hold.refundedPaid += e.paid().micros();
            promotional += e.promotional().micros();
            paid += e.paid().micros();
        } else if (event instanceof PurchaseReversed e) {
            reversals.put(e.reversalId(), new Reversal(e.paymentId(), e.amount().micros()));
            payments.get(e.paymentId()).reversed += e.amount().micros();
            paid -= e.amount().micros();
        } else if (event instanceof CreditsForfeited e) {
            promotional -= e.promotional().micros();
            paid -= e.paid().micros();
            closed = true;
        } else {
            throw new IllegalArgumentException("no rule for " + event);
        }
    }

    // --- what the generator may look at ---

    WalletBalance balance() {
        return new WalletBalance(micros(promotional), micros(paid), micros(reserved));
    }

    boolean isOpened() {
        return opened;
    }

    boolean isClosed() {
        return closed;
    }

    long promotional() {
        return promotional;
    }

    long available() {
        return promotional + paid;
    }

    List<Hold> holds() {
        return new ArrayList<>(holds.values());
    }

    Hold hold(ReservationId id) {
        return holds.get(id.value());
    }

    List<String> paymentIds() {
        return new ArrayList<>(payments.keySet());
    }

    long reversible(String paymentId) {
        Payment payment = payments.get(paymentId);
        return payment == null ? 0 : payment.amount - payment.reversed;
    }

    private static boolean positive(Credits amount) {
        return amount != null && amount.isPositive();
    }

    private static Credits micros(long micros) {
        return Credits.ofMicros(micros);
    }
}
