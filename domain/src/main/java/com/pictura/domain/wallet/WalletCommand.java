package com.pictura.domain.wallet;

import java.time.Instant;

import com.pictura.domain.account.AccountId;
import com.pictura.domain.actor.Actor;
import com.pictura.domain.actor.Attributed;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Everything a credit wallet can be asked to do. Every command that moves credits carries an id chosen by its
 * caller: repeating it with the same content changes nothing, repeating it with different content is refused.
 */
public sealed interface WalletCommand extends Attributed {

    WalletId walletId();

    /** Opens the wallet of a new account with its sign-up grant. A wallet opens once. */
    record OpenWallet(@TargetAggregateIdentifier WalletId walletId, AccountId accountId, Credits signupGrant,
                      Actor actor) implements WalletCommand {
    }

    /** Promotional credits, free of charge. */
    record GrantCredits(@TargetAggregateIdentifier WalletId walletId, String grantId, Credits amount,
                        String reason, Actor actor) implements WalletCommand {
    }

    /** Paid credits; {@code paymentId} is the payment provider's id, so a retried webhook credits once. */
    record PurchaseCredits(@TargetAggregateIdentifier WalletId walletId, String paymentId, Credits amount,
                           long priceCents, String currency, Actor actor) implements WalletCommand {
    }

    /** Holds the worst-case cost of a call before it is made, within the spending limits of the key making it. */
    record ReserveCredits(@TargetAggregateIdentifier WalletId walletId, ReservationId reservationId,
                          Credits amount, String apiKeyId, String model, Instant expiresAt, SpendLimits keyLimits,
                          Actor actor) implements WalletCommand {

        /** A hold for a key without spending limits. */
        public ReserveCredits(WalletId walletId, ReservationId reservationId, Credits amount, String apiKeyId,
                              String model, Instant expiresAt, Actor actor) {
            this(walletId, reservationId, amount, apiKeyId, model, expiresAt, SpendLimits.NONE, actor);
        }
    }

    /**
     * Charges the actual cost of a call, at most its hold; the rest of the hold returns. {@code decidedAt} is when
     * the node decided the outcome: a charge decided by the hold's expiry still applies if the expiry released
     * the hold first (the commit was merely late).
     */
    record CommitCharge(@TargetAggregateIdentifier WalletId walletId, ReservationId reservationId,
                        Credits amount, Usage usage, Instant decidedAt, Actor actor) implements WalletCommand {
    }

    /**
     * Returns a whole hold: the call failed, or nobody settled it in time (reason {@link #EXPIRED}, which lets a
     * charge decided in time still apply afterwards).
     */
    record ReleaseReservation(@TargetAggregateIdentifier WalletId walletId, ReservationId reservationId,
                              String reason, Actor actor) implements WalletCommand {

        /** The reason of a release because the hold expired unsettled. */
        public static final String EXPIRED = "expired";
    }

    /** A support correction, up or down. Needs a reason and a ticket. */
    record AdjustCredits(@TargetAggregateIdentifier WalletId walletId, String adjustmentId, Credits amount,
                         String reason, String ticket, Actor actor) implements WalletCommand {
    }

    /**
     * Asks for a correction too large for one person: nothing moves until a different staff member approves it
     * ({@link ApproveAdjustment}) or anyone rejects it. {@code requestId} becomes the adjustment's id.
     */
    record RequestAdjustment(@TargetAggregateIdentifier WalletId walletId, String requestId, Credits amount,
                             String reason, String ticket, Actor actor) implements WalletCommand {
    }

    /** The second pair of eyes: applies a pending request; its requester cannot send this. */
    record ApproveAdjustment(@TargetAggregateIdentifier WalletId walletId, String requestId, String reason,
                             Actor actor) implements WalletCommand {
    }

    /** Turns a pending request down; nothing moves. */
    record RejectAdjustment(@TargetAggregateIdentifier WalletId walletId, String requestId, String reason,
                            Actor actor) implements WalletCommand {
    }

    /** Gives back part or all of a past charge. */
    record RefundCharge(@TargetAggregateIdentifier WalletId walletId, String refundId,
                        ReservationId reservationId, Credits amount, String reason,
                        Actor actor) implements WalletCommand {
    }

    /** Takes back paid credits after a payment refund or a lost dispute. May leave the balance negative. */
    record ReversePurchase(@TargetAggregateIdentifier WalletId walletId, String reversalId, String paymentId,
                           Credits amount, String reason, Actor actor) implements WalletCommand {
    }

    /** Forfeits every available credit when the account is terminated, and closes the wallet. */
    record ForfeitCredits(@TargetAggregateIdentifier WalletId walletId, String reason,
                          Actor actor) implements WalletCommand {
    }
}
