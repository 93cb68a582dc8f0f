package com.pictura.api.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.pictura.billing.BillingProperties;
import com.pictura.billing.simulator.StripeSimulator.Delivery;
import com.pictura.billing.simulator.StripeSimulator.SimulatedEvent;
import com.pictura.billing.simulator.WebhookSignature;
import com.pictura.domain.wallet.Credits;
import org.junit.jupiter.api.Test;

class BillingWebhookTest extends BillingIntegrationTest {

    private static final String SECRET = BillingProperties.Stripe.SIMULATOR_WEBHOOK_SECRET;

    @Test
    void everyWebhookDeliveredFiveTimesInShuffledOrderCreditsExactlyOnce() {
        Person ada = signUp("ada");
        String big = checkout(ada, "credits-2200");
        String small = checkout(ada, "credits-500");
        List<SimulatedEvent> events = new ArrayList<>();
        events.addAll(stripe.pay(big, false, Delivery.HOLD));
        events.addAll(stripe.pay(small, false, Delivery.HOLD));
        // $5 of the $20 back: a quarter of 2,200 credits.
        events.addAll(stripe.refund(stripe.chargeOf(big), null, 500L, Delivery.HOLD).events());
        List<SimulatedEvent> deliveries = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            deliveries.addAll(events);
        }
        long seed = Long.getLong("billing.shuffle.seed", System.nanoTime());
        Collections.shuffle(deliveries, new Random(seed));

        for (SimulatedEvent event : deliveries) {
            assertThat(deliver(event)).as("%s (shuffle seed %d)", event.type(), seed).isEqualTo(200);
        }

        assertThat(ledgerEvents(ada, "CreditsPurchased")).as("seed %d", seed).isEqualTo(2);
        assertThat(ledgerSum(ada, "CreditsPurchased")).isEqualTo(Credits.of(2700));
        assertThat(ledgerEvents(ada, "PurchaseReversed")).as("seed %d", seed).isEqualTo(1);
        assertThat(ledgerSum(ada, "PurchaseReversed")).isEqualTo(Credits.of(550));
        awaitAvailable(ada, "2175.000000");
        List<String> ids = events.stream().map(SimulatedEvent::id).toList();
        assertThat(jdbc.sql("select count(*) from stripe_events where event_id in (:ids)").param("ids", ids)
                .query(Long.class).single()).as("events Pictura uses, each recorded once").isEqualTo(3);
    }

    @Test
    void aRefundArrivingBeforeItsPaymentCreditsThePurchaseFirstThenTakesItsShareBack() {
        Person ann = signUp("refund-first");
        String session = checkout(ann, "credits-2200");
        List<SimulatedEvent> payment = stripe.pay(session, false, Delivery.HOLD);
        SimulatedEvent refunded = only(stripe.refund(stripe.chargeOf(session), null, 500L, Delivery.HOLD).events(),
                "charge.refunded");

        assertThat(deliver(refunded)).isEqualTo(200);

        // The paid session was read from Stripe and credited before the refund took back its quarter.
        assertThat(walletEvents(ann)).containsExactly("WalletOpened", "CreditsGranted", "CreditsPurchased",
                "PurchaseReversed");
        assertThat(ledgerSum(ann, "PurchaseReversed")).isEqualTo(Credits.of(550));
        for (SimulatedEvent late : payment) {
            assertThat(deliver(late)).as(late.type()).isEqualTo(200);
        }
        assertThat(walletEvents(ann)).containsExactly("WalletOpened", "CreditsGranted", "CreditsPurchased",
                "PurchaseReversed");
        assertThat(purchaseStatus(session)).isEqualTo("PAID");
        awaitAvailable(ann, "1675.000000");
    }

    @Test
    void aLostDisputeArrivingBeforeItsPaymentAndItsOpeningTakesBackThePurchaseOnce() {
        Person dan = signUp("dispute-first");
        String session = checkout(dan, "credits-2200");
        List<SimulatedEvent> payment = stripe.pay(session, false, Delivery.HOLD);
        var opened = stripe.openDispute(stripe.chargeOf(session), null, Delivery.HOLD);
        var closed = stripe.closeDispute(opened.dispute().get("id").getAsString(), "lost", Delivery.HOLD);

        assertThat(deliver(only(closed.events(), "charge.dispute.closed"))).isEqualTo(200);

        assertThat(walletEvents(dan)).containsExactly("WalletOpened", "CreditsGranted", "CreditsPurchased",
                "PurchaseReversed");
        assertThat(ledgerSum(dan, "PurchaseReversed")).isEqualTo(Credits.of(2200));
        assertThat(deliver(only(opened.events(), "charge.dispute.created"))).isEqualTo(200);
        for (SimulatedEvent late : payment) {
            assertThat(deliver(late)).as(late.type()).isEqualTo(200);
        }
        assertThat(walletEvents(dan)).containsExactly("WalletOpened", "CreditsGranted", "CreditsPurchased",
                "PurchaseReversed");
        assertThat(jdbc.sql("select status from stripe_disputes where session_id = ?").param(session)
                .query(String.class).single()).as("a stale opening does not reopen it").isEqualTo("lost");
        awaitAvailable(dan, "25.000000");
    }

    @Test
    void aStaleCompletedUnpaidAfterTheAsyncPaymentSucceededChangesNothing() {
        Person ivy = signUp("async");
        String session = checkout(ivy, "credits-500");
        SimulatedEvent completedUnpaid = only(stripe.pay(session, true, Delivery.HOLD), "checkout.session.completed");
        SimulatedEvent succeeded = only(stripe.settle(session, true, Delivery.HOLD),
                "checkout.session.async_payment_succeeded");
        assertThat(completedUnpaid.payload()).contains("\"payment_status\":\"unpaid\"");

        assertThat(deliver(succeeded)).isEqualTo(200);
        assertThat(purchaseStatus(session)).isEqualTo("PAID");
        assertThat(ledgerEvents(ivy, "CreditsPurchased")).isEqualTo(1);

        assertThat(deliver(completedUnpaid)).isEqualTo(200);

        assertThat(purchaseStatus(session)).as("never moved back to pending").isEqualTo("PAID");
        assertThat(ledgerEvents(ivy, "CreditsPurchased")).isEqualTo(1);
        assertThat(ledgerEvents(ivy, "PurchaseReversed")).isZero();
        awaitAvailable(ivy, "525.000000");
    }

    @Test
    void concurrentDeliveriesOfOneEventCreditOnce() throws Exception {
        Person bob = signUp("bob");
        String session = checkout(bob, "credits-500");
        SimulatedEvent completed = stripe.pay(session, false, Delivery.HOLD).stream()
                .filter(e -> e.type().equals("checkout.session.completed")).findFirst().orElseThrow();
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Callable<Integer>> deliveries = Collections.nCopies(5, () -> deliver(completed));
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> status : pool.invokeAll(deliveries)) {
                statuses.add(status.get());
            }
            assertThat(statuses).containsOnly(200);
        } finally {
            pool.shutdownNow();
        }

        assertThat(ledgerEvents(bob, "CreditsPurchased")).isEqualTo(1);
        awaitAvailable(bob, "525.000000");
    }

    @Test
    void aBadSignatureAnOldTimestampOrATamperedBodyIsRefusedAndChangesNothing() {
        Person eve = signUp("eve");
        String session = checkout(eve, "credits-12000");
        SimulatedEvent completed = stripe.pay(session, false, Delivery.HOLD).stream()
                .filter(e -> e.type().equals("checkout.session.completed")).findFirst().orElseThrow();
        long now = Instant.now().getEpochSecond();
        String payload = completed.payload();

        assertThat(deliver(payload, WebhookSignature.header(payload, "whsec_somebody_else", now))).isEqualTo(400);
        assertThat(deliver(payload, WebhookSignature.header(payload, SECRET, now - 301))).isEqualTo(400);
        String tampered = payload.replace("\"pictura_credits\":\"12000\"", "\"pictura_credits\":\"99000\"");
        assertThat(tampered).isNotEqualTo(payload);
        assertThat(deliver(tampered, WebhookSignature.header(payload, SECRET, now))).isEqualTo(400);
        assertThat(deliver(payload, "")).isEqualTo(400);
        assertThat(deliver(payload, "t=" + now + ",v1=00")).isEqualTo(400);

        assertThat(jdbc.sql("select count(*) from stripe_events where event_id = ?").param(completed.id())
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select status from stripe_purchases where session_id = ?").param(session)
                .query(String.class).single()).isEqualTo("OPEN");
        assertThat(ledgerEvents(eve, "CreditsPurchased")).isZero();
        awaitAvailable(eve, "25.000000");

        // The genuine event, signed properly, still counts afterwards.
        assertThat(deliver(completed)).isEqualTo(200);
        awaitAvailable(eve, "12025.000000");
    }

    @Test
    void eventTypesPicturaDoesNotUseAreAcknowledged() {
        String payload = """
                {"id":"evt_unused_%d","object":"event","api_version":"%s","created":%d,"livemode":false,
                 "type":"customer.created","data":{"object":{"id":"cus_1","object":"customer"}}}"""
                .formatted(System.nanoTime(), com.stripe.Stripe.API_VERSION, Instant.now().getEpochSecond());

        assertThat(deliver(payload, WebhookSignature.header(payload, SECRET, Instant.now().getEpochSecond())))
                .isEqualTo(200);
    }

    @Test
    void whenTheLedgerCannotBeWrittenTheWebhookAnswers5xxAndRecordsNothingSoStripeRetries() {
        // A session for an account that has no wallet: the ledger refuses to write the purchase.
        Map<String, String> form = new HashMap<>();
        form.put("mode", "payment");
        form.put("client_reference_id", "acct_nobodyHasThisAccount1");
        form.put("success_url", "http://127.0.0.1:" + port + "/billing/checkout/complete");
        form.put("cancel_url", "http://127.0.0.1:" + port + "/billing/checkout/cancelled");
        form.put("metadata[pictura_account]", "acct_nobodyHasThisAccount1");
        form.put("metadata[pictura_pack]", "credits-500");
        form.put("metadata[pictura_credits]", "500");
        form.put("payment_intent_data[metadata][pictura_account]", "acct_nobodyHasThisAccount1");
        form.put("payment_intent_data[metadata][pictura_pack]", "credits-500");
        form.put("line_items[0][quantity]", "1");
        form.put("line_items[0][price_data][currency]", "usd");
        form.put("line_items[0][price_data][unit_amount]", "500");
        String session = stripe.createSession(form, null).get("id").getAsString();
        SimulatedEvent completed = stripe.pay(session, false, Delivery.HOLD).stream()
                .filter(e -> e.type().equals("checkout.session.completed")).findFirst().orElseThrow();

        assertThat(deliver(completed)).isEqualTo(503);
        assertThat(deliver(completed)).as("a retry is not mistaken for a duplicate").isEqualTo(503);

        assertThat(jdbc.sql("select count(*) from stripe_events where event_id = ?").param(completed.id())
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select count(*) from stripe_purchases where session_id = ?").param(session)
                .query(Long.class).single()).isZero();
    }

    /** The simple names of the wallet's events in the event store, in order. */
    private List<String> walletEvents(Person person) {
        return jdbc.sql("select payload_type from domain_event_entry where aggregate_identifier = ? "
                        + "order by sequence_number").param(wallet(person).value()).query(String.class).list()
                .stream().map(type -> type.substring(type.lastIndexOf('$') + 1)).toList();
    }

    private String purchaseStatus(String session) {
        return jdbc.sql("select status from stripe_purchases where session_id = ?").param(session)
                .query(String.class).single();
    }
}
