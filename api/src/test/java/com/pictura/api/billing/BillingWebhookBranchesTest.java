package com.pictura.api.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import com.pictura.billing.BillingProperties;
import com.pictura.billing.simulator.StripeSimulator.Delivery;
import com.pictura.billing.simulator.StripeSimulator.SimulatedEvent;
import com.pictura.billing.simulator.WebhookSignature;
import com.pictura.domain.wallet.Credits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The webhook's less travelled paths: Stripe down, several refunds at once, disputes that end in a warning, sessions Pictura does not sell. */
class BillingWebhookBranchesTest extends BillingIntegrationTest {

    @AfterEach
    void stripeIsBack() {
        stripe.outage(false);
    }

    @Test
    void whenStripeCannotBeAskedForTheSessionTheWebhookAnswers503AndRecordsNothingSoStripeRetries() {
        Person ann = signUp("stripe-down");
        String session = checkout(ann, "credits-2200");
        stripe.pay(session, false, Delivery.HOLD);
        SimulatedEvent refunded = only(stripe.refund(stripe.chargeOf(session), null, 500L, Delivery.HOLD).events(),
                "charge.refunded");

        stripe.outage(true);
        assertThat(deliver(refunded)).isEqualTo(503);
        stripe.outage(false);

        assertThat(eventRecorded(refunded)).isZero();
        assertThat(ledgerEvents(ann, "CreditsPurchased")).isZero();
        assertThat(ledgerEvents(ann, "PurchaseReversed")).isZero();
        // Stripe's retry, once it is back, does everything.
        assertThat(deliver(refunded)).isEqualTo(200);
        assertThat(ledgerEvents(ann, "CreditsPurchased")).isEqualTo(1);
        assertThat(ledgerSum(ann, "PurchaseReversed")).isEqualTo(Credits.of(550));
    }

    @Test
    void aCheckoutWhileStripeIsDownAnswers502AndRemembersNoPurchase() {
        Person bo = signUp("checkout-down");

        stripe.outage(true);
        var refused = http.post("/api/billing/checkout", bo.session(), Map.of("packId", "credits-500"));
        stripe.outage(false);

        assertThat(refused.status()).isEqualTo(502);
        assertThat(refused.json().at("/error/code").asString()).isEqualTo("payment_provider_unavailable");
        assertThat(jdbc.sql("select count(*) from stripe_purchases where account_id = ?").param(bo.accountId())
                .query(Long.class).single()).isZero();
        assertThat(http.post("/api/billing/checkout", bo.session(), Map.of("packId", "credits-500")).status())
                .isEqualTo(201);
    }

    @Test
    void oneChargeRefundedEventListingTwoNewRefundsTakesBackEachOnce() {
        Person cy = signUp("two-refunds");
        String session = buy(cy, "credits-2200");
        SimulatedEvent first = only(stripe.refund(stripe.chargeOf(session), null, 500L, Delivery.HOLD).events(),
                "charge.refunded");
        var second = stripe.refund(stripe.chargeOf(session), null, 300L, Delivery.HOLD);

        // Only the later event arrives first; it lists both refunds ($5 and $3 of $20).
        assertThat(deliver(only(second.events(), "charge.refunded"))).isEqualTo(200);

        assertThat(ledgerEvents(cy, "PurchaseReversed")).isEqualTo(2);
        assertThat(ledgerSum(cy, "PurchaseReversed")).isEqualTo(Credits.of(880));
        assertThat(deliver(first)).isEqualTo(200);
        assertThat(ledgerEvents(cy, "PurchaseReversed")).isEqualTo(2);
        assertThat(jdbc.sql("select reversal_id from stripe_reversals where session_id = ?").param(session)
                .query(String.class).list()).hasSize(2).contains(second.refund().get("id").getAsString());
        awaitAvailable(cy, "1345.000000");
    }

    @Test
    void aDisputeClosedWithAWarningTakesNothingBack() {
        Person di = signUp("warning");
        String session = buy(di, "credits-500");
        var opened = stripe.openDispute(stripe.chargeOf(session), null, Delivery.HOLD);
        var closed = stripe.closeDispute(opened.dispute().get("id").getAsString(), "warning_closed", Delivery.HOLD);

        assertThat(deliver(only(opened.events(), "charge.dispute.created"))).isEqualTo(200);
        SimulatedEvent warning = only(closed.events(), "charge.dispute.closed");
        assertThat(deliver(warning)).isEqualTo(200);

        assertThat(ledgerEvents(di, "PurchaseReversed")).isZero();
        assertThat(outcome(warning)).isEqualTo("RECORDED");
        assertThat(jdbc.sql("select status from stripe_disputes where session_id = ?").param(session)
                .query(String.class).single()).isEqualTo("warning_closed");
        awaitAvailable(di, "525.000000");
    }

    @Test
    void aSessionWithoutPicturaMetadataIsAcknowledgedAndCreditsNothing() {
        Person ed = signUp("no-metadata");
        String session = checkout(ed, "credits-500");
        SimulatedEvent completed = only(stripe.pay(session, false, Delivery.HOLD), "checkout.session.completed");
        // The same payment as another Stripe client of the account would report it: its own session and event
        // ids, none of Pictura's metadata (the simulator only sells Pictura's own checkouts, so it is edited here).
        String otherEvent = "evt_nometadata" + System.nanoTime();
        String otherSession = "cs_nometadata" + System.nanoTime();
        String payload = completed.payload().replace("\"id\":\"" + completed.id() + "\"", "\"id\":\"" + otherEvent + "\"")
                .replace(session, otherSession).replaceAll("\"metadata\":\\{[^}]*}", "\"metadata\":{}");
        assertThat(payload).contains(otherEvent).contains(otherSession).doesNotContain("pictura_");

        assertThat(deliver(payload, WebhookSignature.header(payload, BillingProperties.Stripe.SIMULATOR_WEBHOOK_SECRET,
                Instant.now().getEpochSecond()))).isEqualTo(200);

        assertThat(jdbc.sql("select outcome from stripe_events where event_id = ?").param(otherEvent)
                .query(String.class).single()).isEqualTo("IGNORED");
        assertThat(ledgerEvents(ed, "CreditsPurchased")).isZero();
        assertThat(jdbc.sql("select count(*) from stripe_purchases where session_id = ?").param(otherSession)
                .query(Long.class).single()).isZero();
    }

    @Test
    void aSessionThatIsNotAPaymentIsAcknowledgedAndCreditsNothing() {
        Person flo = signUp("subscription");
        String session = checkout(flo, "credits-500");
        SimulatedEvent completed = only(stripe.pay(session, false, Delivery.HOLD), "checkout.session.completed");
        // The same Pictura session, as a subscription's: another event id, another mode.
        String otherId = "evt_subscription" + System.nanoTime();
        String payload = completed.payload().replace("\"id\":\"" + completed.id() + "\"", "\"id\":\"" + otherId + "\"")
                .replace("\"mode\":\"payment\"", "\"mode\":\"subscription\"");
        assertThat(payload).contains(otherId).contains("\"mode\":\"subscription\"");

        assertThat(deliver(payload, WebhookSignature.header(payload, BillingProperties.Stripe.SIMULATOR_WEBHOOK_SECRET,
                Instant.now().getEpochSecond()))).isEqualTo(200);

        assertThat(jdbc.sql("select outcome from stripe_events where event_id = ?").param(otherId)
                .query(String.class).single()).isEqualTo("IGNORED");
        assertThat(ledgerEvents(flo, "CreditsPurchased")).isZero();
        // The payment's own event still credits: it was the mode that made the difference.
        assertThat(deliver(completed)).isEqualTo(200);
        assertThat(ledgerEvents(flo, "CreditsPurchased")).isEqualTo(1);
    }

    private long eventRecorded(SimulatedEvent event) {
        return jdbc.sql("select count(*) from stripe_events where event_id = ?").param(event.id())
                .query(Long.class).single();
    }

    private String outcome(SimulatedEvent event) {
        return jdbc.sql("select outcome from stripe_events where event_id = ?").param(event.id())
                .query(String.class).single();
    }
}
