package com.pictura.api.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import com.pictura.api.IntegrationTest;
import org.junit.jupiter.api.Test;

/** Stripe's return URLs send the browser on to the dashboard's pages, on the address it came by. */
class CheckoutReturnPagesTest extends IntegrationTest {

    @Test
    void aCompletedCheckoutGoesOnToTheDashboardPageThatWaitsForTheCredits() {
        var back = http.get("/billing/checkout/complete?session_id=cs_test_a1B2c3", null);

        assertThat(back.status()).isEqualTo(303);
        assertThat(back.header("Location")).isEqualTo("../../#/buy/return?session_id=cs_test_a1B2c3");
        assertThat(URI.create("http://127.0.0.1:" + port + "/billing/checkout/complete").resolve(back.header("Location")))
                .hasToString("http://127.0.0.1:" + port + "/#/buy/return?session_id=cs_test_a1B2c3");
    }

    @Test
    void aSessionIdThatIsNoStripeIdIsLeftOutOfTheRedirect() {
        var back = http.get("/billing/checkout/complete?session_id=x%0d%0aSet-Cookie:%20a=b", null);

        assertThat(back.status()).isEqualTo(303);
        assertThat(back.header("Location")).isEqualTo("../../#/buy/return");
        assertThat(back.headers().allValues("Set-Cookie")).noneMatch(cookie -> cookie.startsWith("a="));
    }

    @Test
    void aCancelledCheckoutGoesBackToThePacks() {
        var back = http.get("/billing/checkout/cancelled", null);

        assertThat(back.status()).isEqualTo(303);
        assertThat(back.header("Location")).isEqualTo("../../#/buy?cancelled=1");
    }
}
