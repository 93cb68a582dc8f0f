package com.pictura.billing.checkout;

import java.util.Map;
import java.util.Optional;

import com.pictura.domain.account.AccountId;

/**
 * What Pictura writes into a Checkout Session's metadata, and reads back from Stripe's events. Metadata is set
 * by the server with the secret key, so it can be trusted as much as the event that carries it.
 */
public final class StripeMetadata {

    public static final String ACCOUNT = "pictura_account";
    public static final String PACK = "pictura_pack";
    public static final String CREDITS = "pictura_credits";

    private StripeMetadata() {
    }

    /** What a Pictura checkout session says it sells, if it is one of ours. */
    public record Sale(AccountId account, String packId, long credits) {
    }

    /**
     * The sale described by a session, or empty for sessions that are not Pictura credit purchases (a Stripe
     * account may sell other things too).
     */
    public static Optional<Sale> sale(String clientReferenceId, Map<String, String> metadata) {
        if (metadata == null || clientReferenceId == null) {
            return Optional.empty();
        }
        String pack = metadata.get(PACK);
        String credits = metadata.get(CREDITS);
        if (pack == null || credits == null || !credits.matches("\\d{1,12}")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Sale(new AccountId(clientReferenceId), pack, Long.parseLong(credits)));
        } catch (IllegalArgumentException notAnAccount) {
            return Optional.empty();
        }
    }
}
