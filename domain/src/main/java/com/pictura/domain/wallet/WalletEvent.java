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

    @Revision("1")
    record WalletOpened(WalletId walletId, AccountId accountId) implements WalletEvent {
    }

    @Revision("1")
    record CreditsGranted(WalletId walletId, String grantId, Credits amount, String reason)
            implements WalletEvent {
    }

    @Revision("1")
    record CreditsPurchased(WalletId walletId, String paymentId, Credits amount, long priceCents,
                            String currency) implements WalletEvent {
    }

    @Revision("1")
    record CreditsReserved(WalletId walletId, ReservationId reservationId, Credits amount, Credits promotional,
                           Credits paid, String apiKeyId, String model, Instant expiresAt)
            implements WalletEvent {
    }

    /** {@code amount} = {@code promotional} + {@code paid} is spent; the rest of the hold returns to its lots. */
    @Revision("1")
    record UsageCharged(WalletId walletId, ReservationId reservationId, Credits amount, Credits promotional,
                        Credits paid, Usage usage) implements WalletEvent {
    }

    @Revision("1")
    record ReservationReleased(WalletId walletId, ReservationId reservationId, Credits amount, String reason)
            implements WalletEvent {
    }

    @Revision("1")
    record CreditsAdjusted(WalletId walletId, String adjustmentId, Credits amount, Credits promotional,
                           Credits paid, String reason, String ticket) implements WalletEvent {
    }

    @Revision("1")
    record ChargeRefunded(WalletId walletId, String refundId, ReservationId reservationId, Credits amount,
                          Credits promotional, Credits paid, String reason) implements WalletEvent {
    }

    @Revision("1")
    record PurchaseReversed(WalletId walletId, String reversalId, String paymentId, Credits amount,
                            String reason) implements WalletEvent {
    }

    @Revision("1")
    record CreditsForfeited(WalletId walletId, Credits promotional, Credits paid, String reason)
            implements WalletEvent {
    }
}
