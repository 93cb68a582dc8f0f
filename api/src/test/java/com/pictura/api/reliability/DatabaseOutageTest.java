package com.pictura.api.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.pictura.api.Http;
import com.pictura.api.reliability.Load.Account;
import com.pictura.billing.BillingProperties;
import com.pictura.billing.simulator.WebhookSignature;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * PostgreSQL gone for 10 seconds under load (every connection reset, new ones refused): calls fail cleanly with
 * 503 in OpenAI's error shape, nothing is half-written, no outcome is lost, and the node recovers by itself once
 * the database is back. A Stripe webhook that arrives during the outage is answered 5xx, and Stripe's retry
 * after it credits the purchase once.
 */
class DatabaseOutageTest {

    private static final Duration OUTAGE = Duration.ofSeconds(10);
    private static final String STRIPE_KEY = "sk_test_sim_outage_test_key";
    private static final String PACK = "credits-500";

    enum Phase { BEFORE, DURING, AFTER }

    @Test
    void aTenSecondOutageFailsCallsCleanlyAndLosesNothing() throws Exception {
        ScratchDatabase db = ScratchDatabase.create("outage");
        LedgerAudit ledger = new LedgerAudit(db.jdbc());
        try (CuttableProxy proxy = new CuttableProxy(db.port());
             AppProcess node = AppProcess.start("outage", db.jdbcUrlThrough(proxy.port()), settings())) {
            List<Account> accounts = Load.accounts(node.http(), 4);
            Account buyer = Load.accounts(node.http(), 1).get(0);
            String paid = paidCheckoutEvent(node.http(), buyer);
            List<String> wallets = java.util.stream.Stream.concat(accounts.stream(), java.util.stream.Stream.of(buyer))
                    .map(Account::walletId).toList();
            Map<String, Integer> answers = new ConcurrentHashMap<>();
            List<String> unclean = java.util.Collections.synchronizedList(new ArrayList<>());
            Phase[] phase = {Phase.BEFORE};
            ExecutorService clients = Executors.newFixedThreadPool(accounts.size());
            for (Account account : accounts) {
                clients.submit(() -> {
                    Http http = node.http();
                    while (!Thread.currentThread().isInterrupted()) {
                        Phase started = phase[0];
                        Http.Response response;
                        try {
                            response = http.post("/v1/chat/completions", account.key(), Map.of("model", Load.MODEL,
                                    "max_tokens", 200, "messages", List.of(Map.of("role", "user",
                                            "content", Load.PROMPT + " #sim:len=5"))));
                        } catch (RuntimeException e) {
                            if (Thread.currentThread().isInterrupted() || e.getCause() instanceof InterruptedException) {
                                return null; // the test is done with the clients
                            }
                            unclean.add(started + ": no answer (" + e + ")");
                            continue;
                        }
                        Phase ended = phase[0];
                        answers.merge(started + "→" + ended + " " + response.status(), 1, Integer::sum);
                        boolean clean = response.status() == 200 || response.status() == 503
                                && response.body().contains("\"error\"") && response.header("Retry-After") != null;
                        if (!clean) {
                            unclean.add(started + "→" + ended + " " + response.status() + " " + response.body());
                        }
                    }
                    return null;
                });
            }
            AppProcess.sleep(Duration.ofSeconds(5));
            phase[0] = Phase.DURING;
            proxy.cut();
            AppProcess.sleep(OUTAGE.dividedBy(4));
            int duringOutage = deliver(node.http(), paid).status();
            AppProcess.sleep(OUTAGE.multipliedBy(3).dividedBy(4));
            proxy.restore();
            phase[0] = Phase.AFTER;
            // Recovery by itself: calls succeed again within a few seconds of the database's return.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> answers.getOrDefault("AFTER→AFTER 200", 0) >= 20);
            clients.shutdownNow();
            clients.awaitTermination(60, TimeUnit.SECONDS);
            // Stripe retries with backoff until it gets a 2xx; the first retry after the outage applies it.
            assertThat(duringOutage).as("a webhook during the outage").isBetween(500, 599);
            assertThat(purchases(db, buyer)).as("purchases applied by the refused webhook").isZero();
            Http.Response retry = deliver(node.http(), paid);
            assertThat(retry.status()).as(retry.body()).isEqualTo(200);
            assertThat(retry.json().get("outcome").asString()).isEqualTo("applied");
            Http.Response again = deliver(node.http(), paid);
            assertThat(again.json().get("outcome").asString()).as("a second retry").isEqualTo("duplicate");
            assertThat(purchases(db, buyer)).as("purchases credited").isEqualTo(1);

            assertThat(unclean).as("answers other than 200 or a 503 in OpenAI's shape with Retry-After").isEmpty();
            assertThat(answers.getOrDefault("DURING→DURING 503", 0)).as("calls refused during the outage").isPositive();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(ledger.audit(wallets).open()).as("holds not yet settled").isEmpty());
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(ledger.audit(wallets).mismatches()).as("balances read model against events").isEmpty());
            LedgerAudit.Report report = ledger.audit(wallets);
            assertThat(report.settledTwice()).as("holds settled twice").isEmpty();
            long requests = answers.values().stream().mapToLong(Integer::longValue).sum();
            Summary.write(report.summary("db-outage", 0, requests) + " outage=" + OUTAGE.toSeconds() + "s answers="
                    + new TreeMap<>(answers) + " webhook=" + duringOutage + "→" + retry.status() + "→"
                    + again.json().get("outcome").asString());
        }
    }

    private static List<String> settings() {
        List<String> settings = new ArrayList<>(AppProcess.SHORT_HOLDS);
        settings.add("--pictura.billing.stripe.simulator-api-key=" + STRIPE_KEY);
        return settings;
    }

    /**
     * The {@code checkout.session.completed} event Stripe sends when the buyer has paid: the Checkout Session
     * started over the API before the outage, as Stripe's API shows it, marked paid. Stripe is not behind the
     * cut, so the event is built here rather than by the simulator, whose state lives in the same database.
     */
    private static String paidCheckoutEvent(Http http, Account buyer) {
        Http.Response started = http.post("/api/billing/checkout", buyer.session(), Map.of("packId", PACK));
        assertThat(started.status()).as(started.body()).isEqualTo(201);
        Http.Response session = http.get("/stripe-sim/v1/checkout/sessions/" + started.json().get("id").asString(),
                STRIPE_KEY);
        assertThat(session.status()).as(session.body()).isEqualTo(200);
        ObjectNode paid = (ObjectNode) session.json();
        paid.put("status", "complete");
        paid.put("payment_status", "paid");
        paid.put("payment_intent", "pi_outage_" + paid.get("id").asString());
        return Http.json(Map.of("id", "evt_outage_" + paid.get("id").asString(), "object", "event",
                "api_version", com.stripe.Stripe.API_VERSION, "created", java.time.Instant.now().getEpochSecond(),
                "livemode", false, "type", "checkout.session.completed", "data", Map.of("object", paid)));
    }

    /** The buyer's {@code CreditsPurchased} events, read from the event store past the relay. */
    private static long purchases(ScratchDatabase db, Account buyer) {
        return db.jdbc().sql("select count(*) from domain_event_entry where aggregate_identifier = ? "
                + "and payload_type like '%CreditsPurchased'").param(buyer.walletId()).query(Long.class).single();
    }

    private static Http.Response deliver(Http http, String event) {
        return http.postRaw("/billing/stripe/webhook", "application/json; charset=utf-8", event, "Stripe-Signature",
                WebhookSignature.header(event, BillingProperties.Stripe.SIMULATOR_WEBHOOK_SECRET,
                        java.time.Instant.now().getEpochSecond()));
    }
}
