package com.pictura.api.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.Map;

import com.pictura.billing.simulator.StripeSimulator.Delivery;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.WalletRefusals.InsufficientCredits;
import org.junit.jupiter.api.Test;

/** Money going back: refunds (full and partial), disputes, and delayed payments. */
class BillingRefundTest extends BillingIntegrationTest {

    @Test
    void aFullRefundAfterPartOfTheCreditsWereSpentTakesThemAllBackAndUsageIsRefusedUntilToppedUp() {
        Person ada = signUp("ada");
        String session = buy(ada, "credits-500");
        awaitAvailable(ada, "525.000000");
        spend(ada, 300);   // 25 promotional first, then 275 paid

        refund(session, null);

        awaitAvailable(ada, "-275.000000");
        assertThat(balance(ada).get("paid").asString()).isEqualTo("-275.000000");
        assertThat(ledgerSum(ada, "PurchaseReversed")).isEqualTo(Credits.of(500));
        assertThatThrownBy(() -> reserve(ada, 1))
                .isInstanceOf(InsufficientCredits.class)
                .satisfies(e -> assertThat(((InsufficientCredits) e).code()).isEqualTo("insufficient_credits"));
        String key = http.post("/api/keys", ada.session(), Map.of("name", "after refund")).json().get("key").asString();
        var refused = chat(key);
        assertThat(refused.status()).isEqualTo(402);
        assertThat(refused.json().at("/error/code").asString()).isEqualTo("insufficient_credits");

        buy(ada, "credits-500");

        awaitAvailable(ada, "225.000000");
        var answered = chat(key);
        assertThat(answered.status()).isEqualTo(200);
        Credits cost = Credits.parse(answered.json().at("/usage/cost").decimalValue().toPlainString());
        reserve(ada, 200);
        await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(balance(ada).get("reserved").asString()).isEqualTo("200.000000");
            assertThat(balance(ada).get("available").asString()).isEqualTo(Credits.of(25).minus(cost).toString());
        });
    }

    @Test
    void partialRefundsTakeBackTheirShareAndAddUpToExactlyThePurchase() {
        Person bob = signUp("bob");
        String session = buy(bob, "credits-2200");   // $20

        refund(session, 500L);    // $5.00  -> 550 credits
        assertThat(ledgerSum(bob, "PurchaseReversed")).isEqualTo(Credits.of(550));
        refund(session, 1L);      // $0.01  -> 1.1 credits
        assertThat(ledgerSum(bob, "PurchaseReversed")).isEqualTo(Credits.parse("551.1"));
        refund(session, 1499L);   // the rest: every credit bought, not one more
        assertThat(ledgerSum(bob, "PurchaseReversed")).isEqualTo(Credits.of(2200));

        assertThat(ledgerEvents(bob, "PurchaseReversed")).isEqualTo(3);
        awaitAvailable(bob, "25.000000");
        assertThat(jdbc.sql("select reversed_cents from stripe_purchases where session_id = ?").param(session)
                .query(Long.class).single()).isEqualTo(2000L);
    }

    @Test
    void aLostDisputeTakesTheCreditsBackAndAnOpenDisputeDoesNot() {
        Person cy = signUp("cy");
        String session = buy(cy, "credits-500");
        awaitAvailable(cy, "525.000000");
        spend(cy, 100);

        var dispute = stripe.openDispute(stripe.chargeOf(session), null, Delivery.DELIVER).dispute();

        assertThat(ledgerEvents(cy, "PurchaseReversed")).isZero();
        String disputeId = dispute.get("id").getAsString();
        assertThat(jdbc.sql("select status from stripe_disputes where dispute_id = ?").param(disputeId)
                .query(String.class).single()).isEqualTo("needs_response");

        stripe.closeDispute(disputeId, "lost", Delivery.DELIVER);

        assertThat(ledgerSum(cy, "PurchaseReversed")).isEqualTo(Credits.of(500));
        awaitAvailable(cy, "-75.000000");
        assertThatThrownBy(() -> reserve(cy, 1)).isInstanceOf(InsufficientCredits.class);
    }

    @Test
    void aWonDisputeChangesNothing() {
        Person di = signUp("di");
        String session = buy(di, "credits-500");
        String disputeId = stripe.openDispute(stripe.chargeOf(session), null, Delivery.DELIVER).dispute()
                .get("id").getAsString();

        stripe.closeDispute(disputeId, "won", Delivery.DELIVER);

        assertThat(ledgerEvents(di, "PurchaseReversed")).isZero();
        awaitAvailable(di, "525.000000");
        assertThat(jdbc.sql("select status from stripe_disputes where dispute_id = ?").param(disputeId)
                .query(String.class).single()).isEqualTo("won");
    }

    @Test
    void aDelayedPaymentCreditsWhenItSucceedsAndNeverWhenItFails() {
        Person ed = signUp("ed");
        String settles = checkout(ed, "credits-500");
        String fails = checkout(ed, "credits-2200");

        stripe.pay(settles, true, Delivery.DELIVER);
        stripe.pay(fails, true, Delivery.DELIVER);
        assertThat(ledgerEvents(ed, "CreditsPurchased")).isZero();
        assertThat(jdbc.sql("select status from stripe_purchases where session_id = ?").param(settles)
                .query(String.class).single()).isEqualTo("PENDING");

        stripe.settle(settles, true, Delivery.DELIVER);
        stripe.settle(fails, false, Delivery.DELIVER);

        assertThat(ledgerEvents(ed, "CreditsPurchased")).isEqualTo(1);
        awaitAvailable(ed, "525.000000");
        assertThat(jdbc.sql("select status from stripe_purchases where session_id = ?").param(fails)
                .query(String.class).single()).isEqualTo("FAILED");
    }

    /** A model call over /v1, as an API client makes it. */
    private com.pictura.api.Http.Response chat(String key) {
        return http.post("/v1/chat/completions", key, Map.of("model", "llama-3.1-8b-instruct", "max_tokens", 16,
                "messages", java.util.List.of(Map.of("role", "user", "content", "hello"))));
    }
}
