package com.pictura.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class BillingPropertiesTest {

    @Test
    void withoutAKeyTheSimulatorAndItsPublicSecretAreUsed() {
        var stripe = new BillingProperties.Stripe("", null, null, null);

        assertThat(stripe.simulated()).isTrue();
        assertThat(stripe.webhookSecret()).isEqualTo(BillingProperties.Stripe.SIMULATOR_WEBHOOK_SECRET);
    }

    @Test
    void aRealKeyNeedsTheEndpointsOwnWebhookSecret() {
        assertThatThrownBy(() -> new BillingProperties.Stripe("sk_test_123", "", null, null))
                .hasMessageContaining("webhook-secret");
        assertThatThrownBy(() -> new BillingProperties.Stripe("sk_test_123",
                BillingProperties.Stripe.SIMULATOR_WEBHOOK_SECRET, null, null))
                .hasMessageContaining("webhook-secret");

        var stripe = new BillingProperties.Stripe("sk_test_123", "whsec_real", null, null);
        assertThat(stripe.simulated()).isFalse();
        assertThat(stripe.toString()).doesNotContain("sk_test_123").doesNotContain("whsec_real");
    }

    @Test
    void packIdsAreUniqueAndPricesPositive() {
        assertThatThrownBy(() -> new BillingProperties("usd",
                List.of(new CreditPack("a", 1, 1), new CreditPack("a", 2, 2)), null, null, null))
                .hasMessageContaining("unique");
        assertThatThrownBy(() -> new CreditPack("free", 100, 0)).hasMessageContaining("positive");
        assertThat(new CreditPack("credits-2200", 2200, 2000).price()).isEqualTo("20.00");
    }
}
