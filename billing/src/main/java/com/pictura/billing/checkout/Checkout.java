package com.pictura.billing.checkout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

import com.pictura.billing.BillingProperties;
import com.pictura.billing.CreditPack;
import com.pictura.billing.stripe.PublicUrl;
import com.pictura.billing.stripe.StripeApi;
import com.pictura.domain.InvalidCommand;
import com.pictura.domain.account.AccountId;
import com.stripe.exception.StripeException;
import com.stripe.model.checkout.Session;
import com.stripe.net.RequestOptions;
import com.stripe.param.checkout.SessionCreateParams;
import org.springframework.stereotype.Service;

/** Starts a purchase: a Stripe Checkout Session for one pack, paid on Stripe's hosted page. */
@Service
public class Checkout {

    private final BillingProperties properties;
    private final StripeApi stripe;
    private final StripePurchases purchases;
    private final PublicUrl publicUrl;

    public Checkout(BillingProperties properties, StripeApi stripe, StripePurchases purchases, PublicUrl publicUrl) {
        this.properties = properties;
        this.stripe = stripe;
        this.purchases = purchases;
        this.publicUrl = publicUrl;
    }

    public record Started(String sessionId, String url, CreditPack pack, String currency) {
    }

    /**
     * @param idempotencyKey the client's {@code Idempotency-Key}, if it sent one: a retried click then gets the
     *                       same session instead of a second one
     * @throws InvalidCommand for an unknown pack
     * @throws StripeException when Stripe cannot be reached or refuses
     */
    public Started start(AccountId account, String packId, String idempotencyKey) throws StripeException {
        InvalidCommand.require(packId != null && !packId.isBlank(), "packId is required");
        CreditPack pack = properties.pack(packId.strip())
                .orElseThrow(() -> new InvalidCommand("There is no credit pack '" + packId + "'; see GET /api/billing/packs."));
        String base = publicUrl.base();
        SessionCreateParams params = SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT)
                .setClientReferenceId(account.value())
                .setSuccessUrl(base + "/billing/checkout/complete?session_id={CHECKOUT_SESSION_ID}")
                .setCancelUrl(base + "/billing/checkout/cancelled")
                .putMetadata(StripeMetadata.ACCOUNT, account.value())
                .putMetadata(StripeMetadata.PACK, pack.id())
                .putMetadata(StripeMetadata.CREDITS, Long.toString(pack.credits()))
                .setPaymentIntentData(SessionCreateParams.PaymentIntentData.builder()
                        .putMetadata(StripeMetadata.ACCOUNT, account.value())
                        .putMetadata(StripeMetadata.PACK, pack.id())
                        .setDescription(pack.credits() + " Pictura credits")
                        .build())
                .addLineItem(SessionCreateParams.LineItem.builder()
                        .setQuantity(1L)
                        .setPriceData(SessionCreateParams.LineItem.PriceData.builder()
                                .setCurrency(properties.currency())
                                .setUnitAmount(pack.priceCents())
                                .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder()
                                        .setName(pack.credits() + " Pictura credits")
                                        .build())
                                .build())
                        .build())
                .build();
        RequestOptions options = RequestOptions.builder()
                .setIdempotencyKey(idempotencyKey(account, pack, idempotencyKey))
                .build();
        Session session = stripe.client().v1().checkout().sessions().create(params, options);
        purchases.remember(session.getId(), account, pack.id(), pack.amount().micros(), pack.priceCents(),
                properties.currency());
        return new Started(session.getId(), session.getUrl(), pack, properties.currency());
    }

    /**
     * Scoped to the account and pack, so one person's key can never replay another's session; without a client
     * key every call is a new checkout (stripe-java still re-sends its own key on network retries).
     */
    static String idempotencyKey(AccountId account, CreditPack pack, String clientKey) {
        if (clientKey == null || clientKey.isBlank()) {
            return "pictura-checkout-" + UUID.randomUUID();
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    (account.value() + "\n" + pack.id() + "\n" + clientKey.strip()).getBytes(StandardCharsets.UTF_8));
            return "pictura-checkout-" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
