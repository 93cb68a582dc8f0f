package com.pictura.domain.wallet;

import com.pictura.domain.Refusal;

/** Every way a wallet can refuse a command, each with the numbers a client needs. */
public final class WalletRefusals {

    private WalletRefusals() {
    }

    /** The hold cannot be covered: says what was needed and what is available. */
    public static final class InsufficientCredits extends Refusal {
        private final Credits needed;
        private final Credits available;

        public InsufficientCredits(Credits needed, Credits available) {
            super("insufficient_credits", "This request needs " + needed + " credits, but only "
                    + available.max(Credits.ZERO) + " are available.");
            this.needed = needed;
            this.available = available;
        }

        public Credits needed() {
            return needed;
        }

        public Credits available() {
            return available;
        }
    }

    /** A hold that would take an API key past one of its spending limits: says which, and the numbers. */
    public static final class KeyLimitReached extends Refusal {
        private final String period;

        public KeyLimitReached(String period, Credits limit, Credits used, Credits needed) {
            super("key_limit_reached", "This API key's " + period + " spending limit is " + limit + " credits; "
                    + used + " are spent or held" + ("lifetime".equals(period) ? "" : " this " + ("daily".equals(period)
                    ? "day" : "month") + " (UTC)") + ", and this request needs up to " + needed + ".");
            this.period = period;
        }

        /** {@code daily}, {@code monthly} or {@code lifetime}. */
        public String period() {
            return period;
        }
    }

    /** The same operation id arrived again with different content. */
    public static final class IdempotencyConflict extends Refusal {
        public IdempotencyConflict(String operationId) {
            super("idempotency_conflict", "Operation " + operationId
                    + " was already performed with different content; use a new id for a new operation.");
        }
    }

    public static final class UnknownReservation extends Refusal {
        public UnknownReservation(ReservationId reservationId) {
            super("unknown_reservation", "There is no reservation " + reservationId + " in this wallet (a hold is "
                    + "forgotten 24 hours after its release, a charge 90 days after it was made).");
        }
    }

    public static final class ReservationAlreadySettled extends Refusal {
        public ReservationAlreadySettled(ReservationId reservationId) {
            super("reservation_settled", "Reservation " + reservationId + " was already settled differently.");
        }
    }

    public static final class ChargeExceedsHold extends Refusal {
        public ChargeExceedsHold(Credits charge, Credits hold) {
            super("charge_exceeds_hold", "A charge of " + charge + " exceeds its hold of " + hold + ".");
        }
    }

    public static final class RefundExceedsCharge extends Refusal {
        public RefundExceedsCharge(Credits requested, Credits refundable) {
            super("refund_exceeds_charge", "A refund of " + requested + " exceeds the " + refundable
                    + " credits still refundable for this charge.");
        }
    }

    public static final class UnknownPayment extends Refusal {
        public UnknownPayment(String paymentId) {
            super("unknown_payment", "There is no purchase with payment id " + paymentId + " in this wallet.");
        }
    }

    public static final class ReversalExceedsPurchase extends Refusal {
        public ReversalExceedsPurchase(Credits requested, Credits reversible) {
            super("reversal_exceeds_purchase", "A reversal of " + requested + " exceeds the " + reversible
                    + " credits of this purchase not yet reversed.");
        }
    }

    public static final class WalletClosed extends Refusal {
        public WalletClosed(WalletId walletId) {
            super("wallet_closed", "Wallet " + walletId + " is closed: its account was terminated.");
        }
    }

    public static final class UnknownAdjustmentRequest extends Refusal {
        public UnknownAdjustmentRequest(String requestId) {
            super("unknown_adjustment_request", "There is no adjustment request " + requestId + " in this wallet.");
        }
    }

    public static final class AdjustmentRequestDecided extends Refusal {
        public AdjustmentRequestDecided(String requestId) {
            super("adjustment_request_decided", "Adjustment request " + requestId + " was already approved or rejected.");
        }
    }

    /** Four eyes: whoever asked for a correction cannot also approve it. */
    public static final class OwnRequest extends Refusal {
        public OwnRequest(String requestId) {
            super("own_request", "Adjustment request " + requestId
                    + " must be approved by a staff member other than the one who requested it.");
        }
    }
}
