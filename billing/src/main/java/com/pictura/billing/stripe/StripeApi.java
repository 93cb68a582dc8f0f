package com.pictura.billing.stripe;

import com.pictura.billing.BillingProperties;
import com.stripe.StripeClient;
import org.springframework.stereotype.Component;

/**
 * The one {@link StripeClient} of the application: real Stripe when {@code pictura.billing.stripe.api-key} is
 * set, otherwise the built-in simulator served by this application under {@link #SIMULATOR_PATH}. Built on
 * first use, because the simulator's port is only known once the server runs.
 */
@Component
public class StripeApi {

    public static final String SIMULATOR_PATH = "/stripe-sim";

    private final BillingProperties.Stripe settings;
    private final LocalServer server;
    private volatile StripeClient client;

    public StripeApi(BillingProperties properties, LocalServer server) {
        this.settings = properties.stripe();
        this.server = server;
    }

    public StripeClient client() {
        StripeClient current = client;
        if (current == null) {
            synchronized (this) {
                if (client == null) {
                    client = build();
                }
                current = client;
            }
        }
        return current;
    }

    public boolean simulated() {
        return settings.simulated();
    }

    private StripeClient build() {
        StripeClient.StripeClientBuilder builder = StripeClient.builder()
                .setConnectTimeout(10_000)
                .setReadTimeout(30_000)
                .setMaxNetworkRetries(2);
        if (settings.simulated()) {
            return builder.setApiKey(settings.simulatorApiKey())
                    .setApiBase(server.baseUrl() + SIMULATOR_PATH)
                    .build();
        }
        return builder.setApiKey(settings.apiKey()).build();
    }
}
