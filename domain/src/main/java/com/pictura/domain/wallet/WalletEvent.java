package com.pictura.domain.wallet;

import java.time.Instant;

import com.pictura.domain.account.AccountId;
import org.axonframework.serialization.Revision;

/**
 * Everything a credit wallet can say: the ledger. Amounts are micro-credits; where credits move between lots
 * the event carries the split ({@code promotional}, {@code paid}) the wallet decided on, so replaying it needs
 * no rule at all.
 *
 * <p>Who asked and why travel in each event's metadata ({@code actor}, {@code reason}, {@code correlationId}).
 */
public sealed interface WalletEvent {

    WalletId walletId();

    /** How this event moves the wallet's lots: what the wallet, projections and auditors add up. */
    Movement movement();

    @Revision("1")
    record WalletOpened(WalletId walletId, AccountId accountId) implements WalletEvent {
        @Override
        public Movement movement() {
            return Movement.NONE;
        }
    }

    @Revision("1")
    record CreditsGranted(WalletId walletId, String grantId, Credits amount, String reason)
            implements WalletEvent {
        @Override
        public Movement movement() {
            return new Movement(amount, Credits.ZERO, Credits.ZERO);
        }
    }

    @Revision("1")
    record CreditsPurchased(WalletId walletId, String paymentId, Credits amount, long priceCents,
                            String currency) implements WalletEvent {
        @Override
        public Movement movement() {
            return new Movement(Credits.ZERO, amount, Credits.ZERO);
        }
    }

    @Revision("1")
    record CreditsReserved(WalletId walletId, ReservationId reservationId, Credits amount, Credits promotional,
                           Credits paid, String apiKeyId, String model, Instant expiresAt)
            implements WalletEvent {
        @Override
        public Movement movement() {
            return new Movement(promotional.negate(), paid.negate(), amount);
        }
    }

    /**
     * {@code amount} = {@code promotional} + {@code paid} is spent out of the hold ({@code heldPromotional} +
     * {@code heldPaid}); the rest of the hold returns to the lots it came from.
     */
    @Revision("1")
    record UsageCharged(WalletId walletId, ReservationId reservationId, Credits amount, Credits promotional,
                        Credits paid, Credits heldPromotional, Credits heldPaid, Usage usage)
            implements WalletEvent {
        @Override
        public Movement movement() {
            return new Movement(heldPromotional.minus(promotional), heldPaid.minus(paid),
                    heldPromotional.plus(heldPaid).negate());
        }
    }

    /** The whole hold, {@code amount} = {@code promotional} + {@code paid}, returns to its lots. */
    @Revision("1")
    record ReservationReleased(WalletId walletId, ReservationId reservationId, Credits amount,
                               Credits promotional, Credits paid, String reason) implements WalletEvent {
        @Override
        public Movement movement() {
            return new Movement(promotional, paid, amount.negate());
        }
    }

    /**
     * A charge decided before its hold expired, arriving after the expiry had released the hold: {@code amount}
     * = {@code promotional} + {@code paid} is taken from the lots now (promotional first, as far as that lot is
     * positive; the paid lot may go negative, as after a reversed purchase).
     */
    @Revision("1")
    record ExpiredHoldCharged(WalletId walletId, ReservationId reservationId, Credits amount, Credits promotional,
                              Credits paid, Usage usage) implements WalletEvent {
        @Override
        public Movement movement() {
            return new Movement(promotional.negate(), paid.negate(), Credits.ZERO);
        }
    }

    @Revision("1")
    record CreditsAdjusted(WalletId walletId, String adjustmentId, Credits amount, Credits promotional,
                           Credits paid, String reason, String ticket) implements WalletEvent {
        @Override
        public Movement movement() {
            return new Movement(promotional, paid, Credits.ZERO);
        }
    }

    /** A correction waiting for a second staff member; {@code requestedBy} is the requester's actor. */
    @Revision("1")
    record AdjustmentRequested(WalletId walletId, String requestId, Credits amount, String reason, String ticket,
                               String requestedBy) implements WalletEvent {
        @Override
        public Movement movement() {
            return Movement.NONE;
        }
    }

    /** Followed in the same command by the {@link CreditsAdjusted} that moves the credits. */
    @Revision("1")
    record AdjustmentApproved(WalletId walletId, String requestId, String approvedBy, String reason)
            implements WalletEvent {
        @Override
        public Movement movement() {
            return Movement.NONE;
        }
    }

    @Revision("1")
    record AdjustmentRejected(WalletId walletId, String requestId, String rejectedBy, String reason)
            implements WalletEvent {
        @Override
        public Movement movement() {
            return Movement.NONE;
        }
    }

    @Revision("1")
    record ChargeRefunded(WalletId walletId, String refundId, ReservationId reservationId, Credits amount,
                          Credits promotional, Credits paid, String reason) implements WalletEvent {
        @Override
        public Movement movement() {
            return new Movement(promotional, paid, Credits.ZERO);
        }
    }

    @Revision("1")
    record PurchaseReversed(WalletId walletId, String reversalId, String paymentId, Credits amount,
                            String reason) implements WalletEvent {
        @Override
        public Movement movement() {
            return new Movement(Credits.ZERO, amount.negate(), Credits.ZERO);
        }
    }

    @Revision("1")
    record CreditsForfeited(WalletId walletId, Credits promotional, Credits paid, String reason)
            implements WalletEvent {
        @Override
        public Movement movement() {
            return new Movement(promotional.negate(), paid.negate(), Credits.ZERO);
        }
    }
}
