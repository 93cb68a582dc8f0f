package com.pictura.billing;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.pictura.domain.id.Ids;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Billing configuration ({@code billing.yml}): the credit packs on sale and how Stripe is reached.
 *
 * @param currency  the currency of every pack price (lower case ISO code, {@code usd})
 * @param packs     the packs on sale, in display order
 * @param publicUrl where people reach Pictura, for Stripe's success and cancel redirects; blank means this
 *                  server on loopback (the embedded default)
 */
@ConfigurationProperties("pictura.billing")
public record BillingProperties(String currency, List<CreditPack> packs, String publicUrl, Stripe stripe,
                                Reconciliation reconciliation) {

    public BillingProperties {
        currency = currency == null || currency.isBlank() ? "usd" : currency.strip().toLowerCase();
        packs = packs == null ? List.of() : List.copyOf(packs);
        stripe = stripe == null ? new Stripe(null, null, null, null) : stripe;
        reconciliation = reconciliation == null ? new Reconciliation(true, null, null, null) : reconciliation;
        long distinct = packs.stream().map(CreditPack::id).distinct().count();
        if (distinct != packs.size()) {
            throw new IllegalArgumentException("pictura.billing.packs: pack ids must be unique");
        }
    }

    public Optional<CreditPack> pack(String id) {
        return packs.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /**
     * @param apiKey           a Stripe secret key ({@code sk_test_…} or {@code sk_live_…}); blank means the built-in
     *                         simulator
     * @param webhookSecret    the signing secret of the webhook endpoint ({@code whsec_…})
     * @param webhookTolerance how old a signature may be
     * @param simulatorApiKey  the key the simulator accepts (only with a blank {@code apiKey}); blank means a random
     *                         one per process, known only to this application's own Stripe client, so nobody
     *                         else can create, list or settle the simulator's sessions
     */
    public record Stripe(String apiKey, String webhookSecret, Duration webhookTolerance, String simulatorApiKey) {

        /** Public on purpose: anybody can sign a webhook with it, so it is refused with a real Stripe key. */
        public static final String SIMULATOR_WEBHOOK_SECRET = "whsec_pictura_simulator_not_secret";

        public Stripe {
            apiKey = apiKey == null ? "" : apiKey.strip();
            webhookSecret = webhookSecret == null || webhookSecret.isBlank()
                    ? (apiKey.isEmpty() ? SIMULATOR_WEBHOOK_SECRET : "") : webhookSecret.strip();
            webhookTolerance = webhookTolerance == null ? Duration.ofMinutes(5) : webhookTolerance;
            simulatorApiKey = simulatorApiKey == null || simulatorApiKey.isBlank()
                    ? Ids.random("sk_test_sim_", 32) : simulatorApiKey.strip();
            if (!apiKey.isEmpty() && (webhookSecret.isEmpty() || webhookSecret.equals(SIMULATOR_WEBHOOK_SECRET))) {
                throw new IllegalArgumentException("pictura.billing.stripe.webhook-secret "
                        + "(PICTURA_STRIPE_WEBHOOK_SECRET) must be the endpoint's own signing secret when a real "
                        + "Stripe key is configured");
            }
        }

        public boolean simulated() {
            return apiKey.isEmpty();
        }

        @Override
        public String toString() {
            return "Stripe[" + (simulated() ? "simulator" : apiKey.startsWith("sk_live") ? "live" : "test") + "]";
        }
    }

    /**
     * @param enabled whether the scheduled run happens
     * @param cron    when it runs (Spring cron, six fields)
     * @param window  how far back each scheduled run looks
     * @param lag     how recent a payment may be before it is checked: webhooks in flight are not differences
     */
    public record Reconciliation(boolean enabled, String cron, Duration window, Duration lag) {
        public Reconciliation {
            cron = cron == null || cron.isBlank() ? "0 17 * * * *" : cron;
            window = window == null ? Duration.ofDays(1) : window;
            lag = lag == null ? Duration.ofHours(1) : lag;
        }
    }
}
