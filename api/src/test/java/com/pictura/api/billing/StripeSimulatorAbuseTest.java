package com.pictura.api.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import com.pictura.api.Http;
import com.pictura.billing.BillingProperties;
import org.junit.jupiter.api.Test;

/**
 * The built-in Stripe simulator, attacked the way the hostile-input review did: its published key, forged
 * sessions (100,000 credits for a cent), another account's sessions, redirects to anywhere, and malformed
 * parameters. None of it mints a credit, lists a session or answers 500.
 */
class StripeSimulatorAbuseTest extends BillingIntegrationTest {

    /** The key the simulator used to accept from anyone, printed in the documentation. */
    private static final String PUBLISHED_KEY = "sk_test_pictura_simulator";

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    /** Exactly what Pictura's checkout sends for the 500-credit pack, with {@code changes} applied. */
    private Map<String, String> session(Person person, Map<String, String> changes) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("mode", "payment");
        form.put("client_reference_id", person.accountId());
        form.put("success_url", base() + "/billing/checkout/complete?session_id={CHECKOUT_SESSION_ID}");
        form.put("cancel_url", base() + "/billing/checkout/cancelled");
        form.put("metadata[pictura_account]", person.accountId());
        form.put("metadata[pictura_pack]", "credits-500");
        form.put("metadata[pictura_credits]", "500");
        form.put("payment_intent_data[metadata][pictura_account]", person.accountId());
        form.put("payment_intent_data[metadata][pictura_pack]", "credits-500");
        form.put("payment_intent_data[description]", "500 Pictura credits");
        form.put("line_items[0][quantity]", "1");
        form.put("line_items[0][price_data][currency]", "usd");
        form.put("line_items[0][price_data][unit_amount]", "500");
        form.put("line_items[0][price_data][product_data][name]", "500 Pictura credits");
        changes.forEach((k, v) -> {
            if (v == null) {
                form.remove(k);
            } else {
                form.put(k, v);
            }
        });
        return form;
    }

    private Http.Response createSession(String key, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return http.postRaw("/stripe-sim/v1/checkout/sessions", "application/x-www-form-urlencoded", body,
                "Authorization", "Bearer " + key);
    }

    private long simulatorObjects() {
        return jdbc.sql("select count(*) from stripe_simulator_objects").query(Long.class).single();
    }

    @Test
    void thePublishedKeyNoLongerCreatesOrListsSessions() {
        Person mallory = signUp("mallory");

        var created = createSession(PUBLISHED_KEY, session(mallory, Map.of("metadata[pictura_credits]", "100000",
                "line_items[0][price_data][unit_amount]", "1")));
        var listed = http.get("/stripe-sim/v1/checkout/sessions", PUBLISHED_KEY);

        assertThat(created.status()).isEqualTo(401);
        assertThat(listed.status()).isEqualTo(401);
        assertThat(listed.body()).doesNotContain("cs_test_");
        assertThat(stripe.apiKey()).isNotEqualTo(PUBLISHED_KEY).startsWith("sk_test_sim_");
    }

    @Test
    void evenWithTheKeyOnlyCatalogPacksAtCatalogPricesForTheirOwnAccountAreSold() {
        Person mallory = signUp("mallory");
        Person victim = signUp("victim");
        long objects = simulatorObjects();

        Map<String, Map<String, String>> forgeries = new LinkedHashMap<>();
        forgeries.put("credits minted", Map.of("metadata[pictura_credits]", "100000"));
        forgeries.put("price of a cent", Map.of("line_items[0][price_data][unit_amount]", "1"));
        forgeries.put("unknown pack", Map.of("metadata[pictura_pack]", "credits-100000"));
        forgeries.put("two packs", Map.of("line_items[0][quantity]", "2"));
        forgeries.put("another currency", Map.of("line_items[0][price_data][currency]", "jpy"));
        forgeries.put("another account's metadata", Map.of("metadata[pictura_account]", victim.accountId()));
        forgeries.put("not an account", Map.of("client_reference_id", "anyone",
                "metadata[pictura_account]", "anyone", "payment_intent_data[metadata][pictura_account]", "anyone"));
        forgeries.put("open redirect", Map.of("success_url", "https://evil.example/"));
        forgeries.put("look-alike host", Map.of("success_url", base() + ".evil.example/billing/checkout/complete"));
        forgeries.put("user info", Map.of("cancel_url", "http://127.0.0.1:" + port + "@evil.example/"));
        forgeries.put("extra line item", Map.of("line_items[1][quantity]", "1"));
        forgeries.put("extra metadata", Map.of("metadata[pictura_bonus]", "1"));
        for (var forgery : forgeries.entrySet()) {
            var answer = createSession(stripe.apiKey(), session(mallory, forgery.getValue()));
            assertThat(answer.status()).as(forgery.getKey() + ": " + answer.body()).isEqualTo(400);
            assertThat(answer.json().at("/error/type").asString()).isEqualTo("invalid_request_error");
        }
        assertThat(simulatorObjects()).isEqualTo(objects);

        var honest = createSession(stripe.apiKey(), session(mallory, Map.of()));
        assertThat(honest.status()).as(honest.body()).isEqualTo(200);
        assertThat(honest.json().get("amount_total").asLong()).isEqualTo(500);
    }

    @Test
    void payingRedirectsOnlyIntoPicturaAndCreditsOnlyTheCatalogPack() {
        Person ada = signUp("ada");
        String sessionId = checkout(ada, "credits-500");

        var paid = http.postRaw(simulatorPage(sessionId) + "/pay", "application/x-www-form-urlencoded", "method=card");

        assertThat(paid.status()).isEqualTo(303);
        assertThat(paid.header("Location")).startsWith(base() + "/billing/checkout/complete?session_id=" + sessionId);
        awaitAvailable(ada, "525.000000");
        assertThat(ledgerEvents(ada, "CreditsPurchased")).isEqualTo(1);
    }

    @Test
    void malformedParametersAreStripeShaped400s() {
        String key = stripe.apiKey();
        var limit = http.get("/stripe-sim/v1/checkout/sessions?limit=abc", key);
        var limitZero = http.get("/stripe-sim/v1/checkout/sessions?limit=0", key);
        var created = http.get("/stripe-sim/v1/checkout/sessions?created%5Bgte%5D=x", key);
        var huge = http.get("/stripe-sim/v1/refunds?created%5Blt%5D=99999999999999999999", key);
        var refund = http.postRaw("/stripe-sim/v1/refunds", "application/x-www-form-urlencoded",
                "charge=ch_nothing&amount=abc", "Authorization", "Bearer " + key);
        var settle = http.postRaw("/stripe-sim/test/checkout/cs_test_x/settle?succeeded=abc",
                "application/x-www-form-urlencoded", "", "Authorization", "Bearer " + key);
        var close = http.postRaw("/stripe-sim/test/disputes/dp_x/close", "application/x-www-form-urlencoded", "",
                "Authorization", "Bearer " + key);
        var dispute = http.postRaw("/stripe-sim/test/charges/ch_x/dispute?amount=abc",
                "application/x-www-form-urlencoded", "", "Authorization", "Bearer " + key);

        for (var answer : java.util.List.of(limit, limitZero, created, huge, refund, settle, close, dispute)) {
            assertThat(answer.status()).as(answer.body()).isEqualTo(400);
            assertThat(answer.json().at("/error/type").asString()).isEqualTo("invalid_request_error");
            assertThat(answer.json().at("/error/message").asString()).isNotBlank();
        }
        assertThat(limit.json().at("/error/param").asString()).isEqualTo("limit");
        assertThat(refund.json().at("/error/param").asString()).isEqualTo("amount");
        assertThat(close.json().at("/error/param").asString()).isEqualTo("status");
    }

    @Test
    void aWebhookWithAMalformedTimestampIsA400AndChangesNothing() {
        long events = jdbc.sql("select count(*) from stripe_events").query(Long.class).single();
        String payload = "{\"id\":\"evt_x\",\"object\":\"event\",\"type\":\"checkout.session.completed\"}";

        for (String header : new String[]{"t=,v1=abc", "t=abc,v1=abc", "t=99999999999999999999,v1=abc", "t", "=,=",
                "v1=abc", "t=1,v1="}) {
            int status = deliver(payload, header);
            assertThat(status).as(header).isEqualTo(400);
        }
        assertThat(jdbc.sql("select count(*) from stripe_events").query(Long.class).single()).isEqualTo(events);
        assertThat(BillingProperties.Stripe.SIMULATOR_WEBHOOK_SECRET).isNotBlank();
    }
}
