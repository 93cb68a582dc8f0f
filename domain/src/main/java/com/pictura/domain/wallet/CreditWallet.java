package com.pictura.domain.wallet;

import static com.pictura.domain.InvalidCommand.require;
import static com.pictura.domain.InvalidCommand.requireText;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.wallet.WalletCommand.AdjustCredits;
import com.pictura.domain.wallet.WalletCommand.ApproveAdjustment;
import com.pictura.domain.wallet.WalletCommand.RejectAdjustment;
import com.pictura.domain.wallet.WalletCommand.RequestAdjustment;
import com.pictura.domain.wallet.WalletCommand.CommitCharge;
import com.pictura.domain.wallet.WalletCommand.ForfeitCredits;
import com.pictura.domain.wallet.WalletCommand.GrantCredits;
import com.pictura.domain.wallet.WalletCommand.OpenWallet;
import com.pictura.domain.wallet.WalletCommand.PurchaseCredits;
import com.pictura.domain.wallet.WalletCommand.RefundCharge;
import com.pictura.domain.wallet.WalletCommand.ReleaseReservation;
import com.pictura.domain.wallet.WalletCommand.ReserveCredits;
import com.pictura.domain.wallet.WalletCommand.ReversePurchase;
import com.pictura.domain.wallet.WalletEvent.AdjustmentApproved;
import com.pictura.domain.wallet.WalletEvent.AdjustmentRejected;
import com.pictura.domain.wallet.WalletEvent.AdjustmentRequested;
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
import com.pictura.domain.wallet.WalletRefusals.AdjustmentRequestDecided;
import com.pictura.domain.wallet.WalletRefusals.ChargeExceedsHold;
import com.pictura.domain.wallet.WalletRefusals.OwnRequest;
import com.pictura.domain.wallet.WalletRefusals.UnknownAdjustmentRequest;
import com.pictura.domain.wallet.WalletRefusals.IdempotencyConflict;
import com.pictura.domain.wallet.WalletRefusals.InsufficientCredits;
import com.pictura.domain.wallet.WalletRefusals.RefundExceedsCharge;
import com.pictura.domain.wallet.WalletRefusals.ReservationAlreadySettled;
import com.pictura.domain.wallet.WalletRefusals.ReversalExceedsPurchase;
import com.pictura.domain.wallet.WalletRefusals.UnknownPayment;
import com.pictura.domain.wallet.WalletRefusals.UnknownReservation;
import com.pictura.domain.wallet.WalletRefusals.WalletClosed;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.serialization.Revision;

/**
 * The credit ledger of one account.
 *
 * <p>Credits sit in two lots: <em>promotional</em> (granted) and <em>paid</em> (purchased). Usage spends
 * promotional credits first, since paid credits are money the operator owes until used; a reversed purchase
 * takes back paid credits only. The invariant, checked by the model-based test:
 * available = granted + purchased ± adjusted − reserved − charged + refunded − reversed − forfeited, and no
 * reservation ever takes available below zero.
 *
 * <p>Every command that moves credits is idempotent by the id its caller chose; the wallet remembers each id
 * with the event it caused, to tell a harmless repeat from a conflicting one.
 */
@Revision("3") // of the snapshot shape: bump on any change of fields; other revisions are ignored
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE, isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class CreditWallet {

    static final String CLOSED_REMAINDER = "unused part of a hold settled after the wallet was closed";

    /**
     * How long a settled hold is remembered in full after it settled, by event time: a repeated reservation,
     * charge or release within it is answered as a repeat, and a charge decided in time may still follow an
     * expiry. After it a released hold is forgotten, and a charged one is kept compact until {@link #REFUND_WINDOW}.
     */
    public static final Duration IDEMPOTENCY_HORIZON = Duration.ofHours(24);

    /** How long after it was made a charge can be refunded; then the wallet forgets it (and its refunds). */
    public static final Duration REFUND_WINDOW = Duration.ofDays(90);

    /** The wallet forgets at most this often, at the first event after it (so a replay forgets the same). */
    static final Duration FORGET_EVERY = Duration.ofHours(1);

    @AggregateIdentifier
    private WalletId walletId;
    private AccountId accountId;
    private Credits promotional = Credits.ZERO;
    private Credits paid = Credits.ZERO;
    private Credits reserved = Credits.ZERO;
    private boolean closed;
    private final Map<String, CreditsGranted> grants = new HashMap<>();
    private final Map<String, Purchase> purchases = new HashMap<>();
    private final Map<String, Reservation> reservations = new HashMap<>();
    private final Map<String, CreditsAdjusted> adjustments = new HashMap<>();
    private final Map<String, ChargeRefunded> refunds = new HashMap<>();
    /** Adjustment requests by id, pending or decided: an id is asked for and decided once. */
    private final Map<String, AdjustmentRequested> requests = new HashMap<>();
    private final Map<String, String> decisions = new HashMap<>();
    private final Map<String, PurchaseReversed> reversals = new HashMap<>();
    /** By API key id: what each key has been charged, for its spending limits. Kept for good (lifetime limits). */
    private final Map<String, KeySpend> spentByKey = new HashMap<>();
    /** Event time at which the wallet last forgot what it no longer needs. */
    private Instant forgotAt;

    protected CreditWallet() {
        // for Axon
    }

    /**
     * A snapshot with a field this class does not have is not a wallet it understands: refuse to load it rather
     * than leave the rest at zero (Axon's mapper ignores unknown properties, for events).
     */
    @JsonAnySetter
    private void unknownField(String name, Object value) {
        throw new IllegalStateException("a CreditWallet snapshot has a field this version does not know: " + name);
    }

    @CommandHandler
    public CreditWallet(OpenWallet cmd) {
        require(cmd.signupGrant() != null && !cmd.signupGrant().isNegative(), "the sign-up grant cannot be negative");
        apply(new WalletOpened(cmd.walletId(), cmd.accountId()));
        if (cmd.signupGrant().isPositive()) {
            apply(new CreditsGranted(cmd.walletId(), "signup", cmd.signupGrant(), "sign-up bonus"));
        }
    }

    @CommandHandler
    public WalletBalance handle(GrantCredits cmd) {
        String grantId = requireText(cmd.grantId(), "grantId");
        requirePositive(cmd.amount());
        String reason = requireText(cmd.reason(), "reason");
        CreditsGranted earlier = grants.get(grantId);
        if (earlier != null) {
            return repeatOf(grantId, earlier.amount().equals(cmd.amount()) && earlier.reason().equals(reason));
        }
        requireOpen();
        apply(new CreditsGranted(walletId, grantId, cmd.amount(), reason));
        return balance();
    }

    @CommandHandler
    public WalletBalance handle(PurchaseCredits cmd) {
        String paymentId = requireText(cmd.paymentId(), "paymentId");
        requirePositive(cmd.amount());
        require(cmd.priceCents() >= 0, "the price cannot be negative");
        String currency = requireText(cmd.currency(), "currency").toLowerCase();
        Purchase earlier = purchases.get(paymentId);
        if (earlier != null) {
            CreditsPurchased first = earlier.purchased();
            return repeatOf(paymentId, first.amount().equals(cmd.amount())
                    && first.priceCents() == cmd.priceCents() && first.currency().equals(currency));
        }
        // Money that arrived is recorded even on a closed wallet: support refunds it from there.
        apply(new CreditsPurchased(walletId, paymentId, cmd.amount(), cmd.priceCents(), currency));
        return balance();
    }

    @CommandHandler
    public WalletBalance handle(ReserveCredits cmd) {
        require(cmd.reservationId() != null, "reservationId is required");
        requirePositive(cmd.amount());
        require(cmd.expiresAt() != null, "expiresAt is required");
        Reservation earlier = remembered(cmd.reservationId());
        if (earlier != null && earlier.isCompact()) {
            // Settled longer ago than the idempotency horizon: too late for a repeat, and the id is taken.
            throw new ReservationAlreadySettled(cmd.reservationId());
        }
        if (earlier != null) {
            return repeatOf(cmd.reservationId().value(), earlier.amount().equals(cmd.amount())
                    && Objects.equals(earlier.apiKeyId(), cmd.apiKeyId())
                    && Objects.equals(earlier.model(), cmd.model()));
        }
        requireOpen();
        Credits available = balance().available();
        if (available.isLessThan(cmd.amount())) {
            throw new InsufficientCredits(cmd.amount(), available);
        }
        if (cmd.keyLimits() != null && !cmd.keyLimits().isNone()) {
            var passed = cmd.keyLimits().passedBy(cmd.amount(), spentByKey.getOrDefault(cmd.apiKeyId(), KeySpend.NONE),
                    heldBy(cmd.apiKeyId()), GenericEventMessage.clock.instant());
            if (passed.isPresent()) {
                throw passed.get();
            }
        }
        Credits fromPromotional = cmd.amount().min(promotional.max(Credits.ZERO));
        apply(new CreditsReserved(walletId, cmd.reservationId(), cmd.amount(), fromPromotional,
                cmd.amount().minus(fromPromotional), cmd.apiKeyId(), cmd.model(), cmd.expiresAt()));
        return balance();
    }

    @CommandHandler
    public WalletBalance handle(CommitCharge cmd) {
        Reservation reservation = reservation(cmd.reservationId());
        require(cmd.amount() != null && !cmd.amount().isNegative(), "a charge cannot be negative");
        require(cmd.usage() != null, "usage is required");
        require(cmd.decidedAt() != null, "decidedAt is required");
        if (reservation.isExpired() && !cmd.decidedAt().isAfter(reservation.expiresAt())) {
            return chargeExpiredHold(cmd, reservation);
        }
        if (reservation.isSettled()) {
            return settledAlready(cmd.reservationId(),
                    reservation.isCharged() && reservation.charged().equals(cmd.amount()));
        }
        Reservation hold = reservation;
        if (cmd.amount().isGreaterThan(hold.amount())) {
            throw new ChargeExceedsHold(cmd.amount(), hold.amount());
        }
        Credits fromPromotional = cmd.amount().min(hold.promotional());
        Credits fromPaid = cmd.amount().minus(fromPromotional);
        apply(new UsageCharged(walletId, cmd.reservationId(), cmd.amount(), fromPromotional, fromPaid,
                hold.promotional(), hold.paid(), cmd.usage()));
        forfeitIfClosed(hold.promotional().minus(fromPromotional), hold.paid().minus(fromPaid));
        return balance();
    }

    /**
     * The outcome was decided in time but its commit arrived after the expiry had released the hold: the call was
     * made, so it is charged, out of the lots as they are now (promotional first, as far as that lot is positive,
     * then paid, which may go negative and then blocks usage until topped up).
     */
    private WalletBalance chargeExpiredHold(CommitCharge cmd, Reservation hold) {
        if (cmd.amount().isGreaterThan(hold.amount())) {
            throw new ChargeExceedsHold(cmd.amount(), hold.amount());
        }
        // The released hold was forfeited with the rest at termination: a closed wallet has nothing to charge.
        requireOpen();
        Credits fromPromotional = cmd.amount().min(promotional.max(Credits.ZERO));
        apply(new ExpiredHoldCharged(walletId, cmd.reservationId(), cmd.amount(), fromPromotional,
                cmd.amount().minus(fromPromotional), cmd.usage()));
        return balance();
    }

    @CommandHandler
    public WalletBalance handle(ReleaseReservation cmd) {
        Reservation reservation = reservation(cmd.reservationId());
        String reason = requireText(cmd.reason(), "reason");
        if (reservation.isSettled()) {
            // A release that loses a race with a charge must not undo it; one that repeats itself is harmless.
            return settledAlready(cmd.reservationId(), reservation.isReleased());
        }
        Reservation hold = reservation;
        apply(new ReservationReleased(walletId, cmd.reservationId(), hold.amount(), hold.promotional(), hold.paid(),
                reason));
        forfeitIfClosed(hold.promotional(), hold.paid());
        return balance();
    }

    @CommandHandler
    public WalletBalance handle(AdjustCredits cmd) {
        String adjustmentId = requireText(cmd.adjustmentId(), "adjustmentId");
        require(cmd.amount() != null && !cmd.amount().isZero(), "an adjustment must not be zero");
        String reason = requireText(cmd.reason(), "reason");
        String ticket = requireText(cmd.ticket(), "ticket");
        CreditsAdjusted earlier = adjustments.get(adjustmentId);
        if (earlier != null) {
            return repeatOf(adjustmentId, earlier.amount().equals(cmd.amount())
                    && earlier.reason().equals(reason) && earlier.ticket().equals(ticket));
        }
        // A closed wallet stays at zero: no correction either way (a debt on it is settled outside the ledger).
        requireOpen();
        adjust(adjustmentId, cmd.amount(), reason, ticket);
        return balance();
    }

    @CommandHandler
    public WalletBalance handle(RequestAdjustment cmd) {
        String requestId = requireText(cmd.requestId(), "requestId");
        require(cmd.amount() != null && !cmd.amount().isZero(), "an adjustment must not be zero");
        String reason = requireText(cmd.reason(), "reason");
        String ticket = requireText(cmd.ticket(), "ticket");
        AdjustmentRequested earlier = requests.get(requestId);
        if (earlier != null) {
            return repeatOf(requestId, earlier.amount().equals(cmd.amount()) && earlier.reason().equals(reason)
                    && earlier.ticket().equals(ticket));
        }
        require(!adjustments.containsKey(requestId), "requestId is already an adjustment's id");
        // Asking is refused as soon as applying would be: a request that can only fail helps nobody.
        requireOpen();
        apply(new AdjustmentRequested(walletId, requestId, cmd.amount(), reason, ticket, cmd.actor().toString()));
        return balance();
    }

    @CommandHandler
    public WalletBalance handle(ApproveAdjustment cmd) {
        AdjustmentRequested request = pendingRequest(cmd.requestId());
        String reason = requireText(cmd.reason(), "reason");
        if (request.requestedBy().equals(cmd.actor().toString())) {
            throw new OwnRequest(request.requestId());
        }
        requireOpen();
        apply(new AdjustmentApproved(walletId, request.requestId(), cmd.actor().toString(), reason));
        adjust(request.requestId(), request.amount(), request.reason(), request.ticket());
        return balance();
    }

    @CommandHandler
    public WalletBalance handle(RejectAdjustment cmd) {
        AdjustmentRequested request = pendingRequest(cmd.requestId());
        String reason = requireText(cmd.reason(), "reason");
        apply(new AdjustmentRejected(walletId, request.requestId(), cmd.actor().toString(), reason));
        return balance();
    }

    private AdjustmentRequested pendingRequest(String id) {
        String requestId = requireText(id, "requestId");
        AdjustmentRequested request = requests.get(requestId);
        if (request == null) {
            throw new UnknownAdjustmentRequest(requestId);
        }
        if (decisions.containsKey(requestId)) {
            throw new AdjustmentRequestDecided(requestId);
        }
        return request;
    }

    private void adjust(String adjustmentId, Credits amount, String reason, String ticket) {
        Credits toPromotional;
        if (amount.isPositive()) {
            // A correction in the user's favour is a gift, not money paid: it joins the promotional lot.
            toPromotional = amount;
        } else {
            toPromotional = amount.max(promotional.max(Credits.ZERO).negate());
        }
        apply(new CreditsAdjusted(walletId, adjustmentId, amount, toPromotional, amount.minus(toPromotional),
                reason, ticket));
    }

    @CommandHandler
    public WalletBalance handle(RefundCharge cmd) {
        String refundId = requireText(cmd.refundId(), "refundId");
        requirePositive(cmd.amount());
        String reason = requireText(cmd.reason(), "reason");
        ChargeRefunded earlier = refunds.get(refundId);
        if (earlier != null) {
            return repeatOf(refundId, earlier.reservationId().equals(cmd.reservationId())
                    && earlier.amount().equals(cmd.amount()));
        }
        // Refunded credits would be usable again: a closed wallet refuses them (support refunds money outside).
        requireOpen();
        Reservation reservation = reservation(cmd.reservationId());
        Credits refundable = reservation.refundable();
        if (cmd.amount().isGreaterThan(refundable)) {
            throw new RefundExceedsCharge(cmd.amount(), refundable);
        }
        // Paid credits go back first: they are the ones the user paid money for.
        Credits toPaid = cmd.amount().min(reservation.chargedPaid().minus(reservation.refundedPaid()));
        apply(new ChargeRefunded(walletId, refundId, cmd.reservationId(), cmd.amount(),
                cmd.amount().minus(toPaid), toPaid, reason));
        return balance();
    }

    @CommandHandler
    public WalletBalance handle(ReversePurchase cmd) {
        String reversalId = requireText(cmd.reversalId(), "reversalId");
        String paymentId = requireText(cmd.paymentId(), "paymentId");
        requirePositive(cmd.amount());
        String reason = requireText(cmd.reason(), "reason");
        PurchaseReversed earlier = reversals.get(reversalId);
        if (earlier != null) {
            return repeatOf(reversalId, earlier.paymentId().equals(paymentId) && earlier.amount().equals(cmd.amount()));
        }
        Purchase purchase = purchases.get(paymentId);
        if (purchase == null) {
            throw new UnknownPayment(paymentId);
        }
        Credits reversible = purchase.purchased().amount().minus(purchase.reversed());
        if (cmd.amount().isGreaterThan(reversible)) {
            throw new ReversalExceedsPurchase(cmd.amount(), reversible);
        }
        apply(new PurchaseReversed(walletId, reversalId, paymentId, cmd.amount(), reason));
        return balance();
    }

    @CommandHandler
    public WalletBalance handle(ForfeitCredits cmd) {
        String reason = requireText(cmd.reason(), "reason");
        if (!closed) {
            apply(new CreditsForfeited(walletId, promotional.max(Credits.ZERO), paid.max(Credits.ZERO), reason));
        }
        return balance();
    }

    // --- state: assigned from events only ---

    @EventSourcingHandler
    void on(WalletOpened e, @Timestamp Instant at) {
        forgotAt = at;
        walletId = e.walletId();
        accountId = e.accountId();
    }

    /**
     * Every event moves the lots as it says; the handlers below only remember what they need for later. Each
     * first forgets what has passed its horizon by the event's own time, so a replay (or a snapshot and the events
     * after it) forgets exactly the same.
     */
    @EventSourcingHandler
    void on(WalletEvent e, @Timestamp Instant at) {
        forgetAsOf(at);
        Movement movement = e.movement();
        promotional = promotional.plus(movement.promotional());
        paid = paid.plus(movement.paid());
        reserved = reserved.plus(movement.reserved());
    }

    @EventSourcingHandler
    void on(CreditsGranted e, @Timestamp Instant at) {
        on((WalletEvent) e, at);
        grants.put(e.grantId(), e);
    }

    @EventSourcingHandler
    void on(CreditsPurchased e, @Timestamp Instant at) {
        on((WalletEvent) e, at);
        purchases.put(e.paymentId(), new Purchase(e, Credits.ZERO));
    }

    @EventSourcingHandler
    void on(CreditsReserved e, @Timestamp Instant at) {
        on((WalletEvent) e, at);
        reservations.put(e.reservationId().value(), Reservation.open(e));
    }

    @EventSourcingHandler
    void on(UsageCharged e, @Timestamp Instant at) {
        on((WalletEvent) e, at);
        countForKey(e.reservationId(), e.amount(), at);
        reservations.computeIfPresent(e.reservationId().value(), (id, r) -> r.charged(e, at));
    }

    @EventSourcingHandler
    void on(ExpiredHoldCharged e, @Timestamp Instant at) {
        on((WalletEvent) e, at);
        countForKey(e.reservationId(), e.amount(), at);
        reservations.computeIfPresent(e.reservationId().value(), (id, r) -> r.chargedAfterExpiry(e, at));
    }

    private void countForKey(ReservationId reservationId, Credits amount, Instant at) {
        Reservation hold = reservations.get(reservationId.value());
        if (hold != null && hold.apiKeyId() != null) {
            spentByKey.put(hold.apiKeyId(), spentByKey.getOrDefault(hold.apiKeyId(), KeySpend.NONE).plus(amount, at));
        }
    }

    @EventSourcingHandler
    void on(ReservationReleased e, @Timestamp Instant at) {
        on((WalletEvent) e, at);
        reservations.computeIfPresent(e.reservationId().value(), (id, r) -> r.released(e, at));
    }

    @EventSourcingHandler
    void on(CreditsAdjusted e, @Timestamp Instant at) {
        on((WalletEvent) e, at);
        adjustments.put(e.adjustmentId(), e);
    }

    @EventSourcingHandler
    void on(AdjustmentRequested e, @Timestamp Instant at) {
        on((WalletEvent) e, at);
        requests.put(e.requestId(), e);
    }

    @EventSourcingHandler
    void on(AdjustmentApproved e, @Timestamp Instant at) {
        on((WalletEvent) e, at);
        decisions.put(e.requestId(), "approved");
    }

    @EventSourcingHandler
    void on(AdjustmentRejected e, @Timestamp Instant at) {
        on((WalletEvent) e, at);
        decisions.put(e.requestId(), "rejected");
    }

    @EventSourcingHandler
    void on(ChargeRefunded e, @Timestamp Instant at) {
        on((WalletEvent) e, at);
        refunds.put(e.refundId(), e);
        reservations.computeIfPresent(e.reservationId().value(), (id, r) -> r.refunded(e));
    }

    @EventSourcingHandler
    void on(PurchaseReversed e, @Timestamp Instant at) {
        on((WalletEvent) e, at);
        reversals.put(e.reversalId(), e);
        purchases.computeIfPresent(e.paymentId(), (id, p) -> new Purchase(p.purchased(), p.reversed().plus(e.amount())));
    }

    @EventSourcingHandler
    void on(CreditsForfeited e, @Timestamp Instant at) {
        on((WalletEvent) e, at);
        closed = true;
    }

    // --- helpers ---

    /** Package-private for the model-based test, which reads the state after every step, refusals included. */
    WalletBalance balance() {
        return new WalletBalance(promotional, paid, reserved);
    }

    /** The answer to a repeated operation id: the current balance if it is the same operation, else a refusal. */
    private WalletBalance repeatOf(String operationId, boolean sameContent) {
        if (!sameContent) {
            throw new IdempotencyConflict(operationId);
        }
        return balance();
    }

    /**
     * A hold that settles after the wallet was closed returns its unused part to a wallet nobody may use: it is
     * forfeited at once, as the rest was at termination, so a closed wallet stays at zero.
     */
    private void forfeitIfClosed(Credits promotionalBack, Credits paidBack) {
        if (closed && (promotionalBack.isPositive() || paidBack.isPositive())) {
            apply(new CreditsForfeited(walletId, promotionalBack, paidBack, CLOSED_REMAINDER));
        }
    }

    /** A reservation settles once: the same settlement again is harmless, any other is refused. */
    private WalletBalance settledAlready(ReservationId id, boolean sameSettlement) {
        if (!sameSettlement) {
            throw new ReservationAlreadySettled(id);
        }
        return balance();
    }

    /**
     * Forgets settled holds past their horizon, compacts charged ones past the idempotency horizon, and forgets the
     * refunds of forgotten charges. Grants, purchases, adjustments and reversals are kept: they are few, and
     * forgetting their ids would let a late retry apply twice.
     */
    private void forgetAsOf(Instant at) {
        if (at == null || forgotAt != null && at.isBefore(forgotAt.plus(FORGET_EVERY))) {
            return;
        }
        forgotAt = at;
        reservations.values().removeIf(r -> r.isForgottenAt(at));
        reservations.replaceAll((id, r) -> r.asOf(at));
        refunds.values().removeIf(r -> !reservations.containsKey(r.reservationId().value()));
    }

    /** What the open holds of one API key keep. */
    private Credits heldBy(String apiKeyId) {
        Credits held = Credits.ZERO;
        for (Reservation hold : reservations.values()) {
            if (!hold.isSettled() && Objects.equals(hold.apiKeyId(), apiKeyId)) {
                held = held.plus(hold.amount());
            }
        }
        return held;
    }

    /** A hold as the wallet remembers it now (by the clock of the command), or null if it is forgotten. */
    private Reservation remembered(ReservationId id) {
        Reservation reservation = reservations.get(id.value());
        Instant now = GenericEventMessage.clock.instant();
        return reservation == null || reservation.isForgottenAt(now) ? null : reservation.asOf(now);
    }

    private Reservation reservation(ReservationId id) {
        require(id != null, "reservationId is required");
        Reservation reservation = remembered(id);
        if (reservation == null) {
            throw new UnknownReservation(id);
        }
        return reservation;
    }

    private void requireOpen() {
        if (closed) {
            throw new WalletClosed(walletId);
        }
    }

    private static void requirePositive(Credits amount) {
        require(amount != null && amount.isPositive(), "the amount must be positive");
    }

    /** A purchase and how much of it has been reversed so far. */
    record Purchase(CreditsPurchased purchased, Credits reversed) {
    }

    /**
     * What the wallet keeps of a hold: enough to settle it exactly once, to recognise a repeated command, and to
     * refund its charge. Plain values rather than the events themselves. An open hold is kept until it settles; a
     * settled one until {@link #IDEMPOTENCY_HORIZON} after ({@code settledAt}); a charged one then shrinks to what
     * a refund needs ({@link #isCompact()}) and is forgotten {@link #REFUND_WINDOW} after it was made.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Reservation(Credits amount, Credits promotional, Credits paid, String apiKeyId, String model,
                       Instant expiresAt, Settlement settlement, Instant settledAt, Credits charged,
                       Credits chargedPaid, Credits refundedPromotional, Credits refundedPaid) {

        /** {@code EXPIRED}: released because it expired unsettled, so a charge decided in time may still come. */
        enum Settlement { OPEN, CHARGED, RELEASED, EXPIRED }

        static Reservation open(CreditsReserved e) {
            return new Reservation(e.amount(), e.promotional(), e.paid(), e.apiKeyId(), e.model(), e.expiresAt(),
                    Settlement.OPEN, null, Credits.ZERO, Credits.ZERO, Credits.ZERO, Credits.ZERO);
        }

        boolean isSettled() {
            return settlement != Settlement.OPEN;
        }

        boolean isCharged() {
            return settlement == Settlement.CHARGED;
        }

        boolean isReleased() {
            return settlement == Settlement.RELEASED || settlement == Settlement.EXPIRED;
        }

        boolean isExpired() {
            return settlement == Settlement.EXPIRED;
        }

        /** A charge past the idempotency horizon: only its amounts are left, for refunds. */
        boolean isCompact() {
            return isCharged() && expiresAt == null;
        }

        boolean isForgottenAt(Instant at) {
            return isSettled() && at.isAfter(settledAt.plus(isCharged() ? REFUND_WINDOW : IDEMPOTENCY_HORIZON));
        }

        /** This hold as it is kept at {@code at}: compact once a charge is past the idempotency horizon. */
        Reservation asOf(Instant at) {
            if (!isCharged() || isCompact() || !at.isAfter(settledAt.plus(IDEMPOTENCY_HORIZON))) {
                return this;
            }
            return new Reservation(amount, null, null, null, null, null, settlement, settledAt, charged, chargedPaid,
                    refundedPromotional, refundedPaid);
        }

        Credits refundable() {
            return charged.minus(refundedPromotional).minus(refundedPaid);
        }

        Reservation charged(UsageCharged e, Instant at) {
            return settled(Settlement.CHARGED, at, e.amount(), e.paid());
        }

        Reservation chargedAfterExpiry(ExpiredHoldCharged e, Instant at) {
            return settled(Settlement.CHARGED, at, e.amount(), e.paid());
        }

        Reservation released(ReservationReleased e, Instant at) {
            return settled(ReleaseReservation.EXPIRED.equals(e.reason()) ? Settlement.EXPIRED : Settlement.RELEASED,
                    at, Credits.ZERO, Credits.ZERO);
        }

        Reservation refunded(ChargeRefunded e) {
            return new Reservation(amount, promotional, paid, apiKeyId, model, expiresAt, settlement, settledAt,
                    charged, chargedPaid, refundedPromotional.plus(e.promotional()), refundedPaid.plus(e.paid()));
        }

        private Reservation settled(Settlement how, Instant at, Credits charge, Credits chargePaid) {
            return new Reservation(amount, promotional, paid, apiKeyId, model, expiresAt, how, at, charge,
                    chargePaid, refundedPromotional, refundedPaid);
        }
    }

    /** How many holds the wallet remembers: bounded by the horizons above, however many it ever made. */
    int remembered() {
        return reservations.size();
    }
}
