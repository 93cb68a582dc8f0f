package com.pictura.api.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.pictura.domain.wallet.Credits;
import org.junit.jupiter.api.Test;

class BillingPurchaseTest extends BillingIntegrationTest {

    @Test
    void packsAreListedInDollars() {
        var packs = http.get("/api/billing/packs", null);

        assertThat(packs.status()).isEqualTo(200);
        assertThat(packs.json().get("currency").asString()).isEqualTo("usd");
        assertThat(packs.json().get("data")).hasSize(3);
        assertThat(packs.json().at("/data/0/id").asString()).isEqualTo("credits-500");
        assertThat(packs.json().at("/data/0/credits").asString()).isEqualTo("500.000000");
        assertThat(packs.json().at("/data/0/price").asString()).isEqualTo("5.00");
        assertThat(packs.json().at("/data/2/credits").asString()).isEqualTo("12000.000000");
        assertThat(packs.json().at("/data/2/price").asString()).isEqualTo("100.00");
    }

    @Test
    void checkoutNeedsASignedInPersonAndAKnownPack() {
        Person ada = signUp("ada");

        assertThat(http.post("/api/billing/checkout", null, java.util.Map.of("packId", "credits-500")).status())
                .isEqualTo(401);
        var unknown = http.post("/api/billing/checkout", ada.session(), java.util.Map.of("packId", "credits-7"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().at("/error/message").asString()).contains("credits-7");
    }

    @Test
    void aPurchaseGoesFromCheckoutThroughTheSignedWebhookIntoTheLedgerAndTheBalance() {
        Person ada = signUp("ada");

        var started = http.post("/api/billing/checkout", ada.session(), java.util.Map.of("packId", "credits-2200"));
        assertThat(started.status()).as(started.body()).isEqualTo(201);
        String sessionId = started.json().get("id").asString();
        String url = started.json().get("url").asString();
        assertThat(sessionId).startsWith("cs_test_");
        assertThat(url).endsWith("/stripe-sim/checkout/" + sessionId);
        assertThat(started.json().at("/pack/price").asString()).isEqualTo("20.00");

        var page = http.get(url.substring(url.indexOf("/stripe-sim")), null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("2200 Pictura credits").contains("Pay 20.00 USD");

        assertThat(postForm(simulatorPage(sessionId) + "/pay", "method=card")).isEqualTo(303);

        awaitAvailable(ada, "2225.000000");
        assertThat(balance(ada).get("paid").asString()).isEqualTo("2200.000000");
        assertThat(ledgerEvents(ada, "CreditsPurchased")).isEqualTo(1);
        assertThat(ledgerSum(ada, "CreditsPurchased")).isEqualTo(Credits.of(2200));
        String actor = jdbc.sql("""
                select convert_from(meta_data, 'UTF8')::jsonb ->> 'actor' from domain_event_entry
                where payload_type like '%CreditsPurchased' and convert_from(payload, 'UTF8')::jsonb ->> 'paymentId' = ?""")
                .param(sessionId).query(String.class).single();
        assertThat(actor).startsWith("stripe:evt_");
        assertThat(jdbc.sql("select status from stripe_purchases where session_id = ?").param(sessionId)
                .query(String.class).single()).isEqualTo("PAID");
    }

    @Test
    void aRetriedCheckoutWithTheSameIdempotencyKeyGetsTheSameSession() throws Exception {
        Person bo = signUp("bo");

        String first = checkoutWithKey(bo, "credits-500", "click-1");
        String again = checkoutWithKey(bo, "credits-500", "click-1");
        String other = checkoutWithKey(bo, "credits-500", "click-2");

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    private String checkoutWithKey(Person person, String packId, String key) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/billing/checkout"))
                .header("Authorization", "Bearer " + person.session())
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"packId\":\"" + packId + "\"}")).build();
        var response = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return tools.jackson.databind.json.JsonMapper.builder().build().readTree(response.body()).get("id").asString();
    }
}
