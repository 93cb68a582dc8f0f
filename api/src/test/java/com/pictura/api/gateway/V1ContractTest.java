package com.pictura.api.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.pictura.api.Http;
import com.pictura.domain.wallet.Credits;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Models with prices, credits, idempotency and rate limits. */
class V1ContractTest extends GatewayTestBase {

    static final String MODEL = "qwen-2.5-7b-instruct";

    @Test
    void modelsListTheCatalogWithPricesAndAnnouncedChanges() {
        Client client = client("models");
        awaitBalance(client, Credits.of(25));
        var response = http.get("/v1/models", client.key());
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("x-request-id")).startsWith("req_");
        assertThat(response.header("x-pictura-credits-remaining")).isEqualTo("25.000000");
        JsonNode data = response.json().get("data");
        List<String> ids = new java.util.ArrayList<>();
        data.forEach(m -> ids.add(m.get("id").asString()));
        assertThat(ids).contains("flux-schnell", "flux-dev", "sdxl", "dreamshaper-8", "llama-3.1-8b-instruct",
                "llama-3.3-70b-instruct", "qwen-2.5-7b-instruct", "qwen-2.5-72b-instruct");
        JsonNode qwen = null;
        JsonNode sdxl = null;
        for (JsonNode m : data) {
            if (m.get("id").asString().equals("qwen-2.5-72b-instruct")) {
                qwen = m;
            }
            if (m.get("id").asString().equals("sdxl")) {
                sdxl = m;
            }
        }
        assertThat(qwen.get("pricing").get("input_per_million_tokens").decimalValue()).isEqualByComparingTo("12");
        assertThat(response.body()).contains("\"input_per_million_tokens\":12.000000").doesNotContain("E-");
        assertThat(qwen.get("upcoming_pricing").get("effective_from").asString()).isEqualTo("2027-03-01T00:00:00Z");
        assertThat(sdxl.get("pricing").get("per_image").get("1024x1024").decimalValue()).isEqualByComparingTo("0.2");
    }

    @Test
    void creditsShowTheBalance() {
        Client client = client("credits");
        awaitBalance(client, Credits.of(25));
        var response = http.get("/v1/credits", client.key());
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("available").decimalValue()).isEqualByComparingTo("25");
        assertThat(response.json().get("reserved").decimalValue()).isEqualByComparingTo("0");
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyReturnsTheFirstResultAndIsChargedOnce() {
        Client client = client("idempotent");
        Map<String, Object> body = chatBody(MODEL, "Name a colour.", 16);
        var first = post(client, body, "retry-1");
        var second = post(client, body, "retry-1");
        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");

        var different = post(client, chatBody(MODEL, "Name a number.", 16), "retry-1");
        assertThat(different.status()).isEqualTo(422);
        assertThat(different.json().get("error").get("code").asString()).isEqualTo("idempotency_key_reused");

        Credits cost = Credits.parse(first.json().get("usage").get("cost").decimalValue().toPlainString());
        awaitBalance(client, Credits.of(25).minus(cost));
        assertThat(ledger(client, 3)).containsExactly("grant", "reservation", "charge");
    }

    @Test
    void rateLimitsAre429WithRetryAfterAndNeverConfusedWith402() {
        Client client = client("limited");
        jdbc.sql("insert into account_rate_limits (account_id, requests_per_minute, tokens_per_minute) values (?, 2, 100000)")
                .param(client.accountId()).update();
        var first = http.post("/v1/chat/completions", client.key(), chatBody(MODEL, "One.", 8));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("x-ratelimit-limit-requests")).isEqualTo("2");
        assertThat(first.header("x-ratelimit-remaining-requests")).isEqualTo("1");
        assertThat(http.post("/v1/chat/completions", client.key(), chatBody(MODEL, "Two.", 8)).status()).isEqualTo(200);
        var third = http.post("/v1/chat/completions", client.key(), chatBody(MODEL, "Three.", 8));
        assertThat(third.status()).isEqualTo(429);
        assertThat(third.json().get("error").get("type").asString()).isEqualTo("rate_limit_error");
        assertThat(Integer.parseInt(third.header("Retry-After"))).isBetween(1, 60);
        assertThat(third.header("x-ratelimit-remaining-requests")).isEqualTo("0");
        // Two calls made, two settled; the refused one never reached the wallet.
        assertThat(ledger(client, 5)).containsExactlyInAnyOrder("grant", "reservation", "charge", "reservation",
                "charge");

    }

    @Test
    void aLimitOfZeroRequestsRefusesTheVeryFirstRequest() {
        Client client = client("zero");
        jdbc.sql("insert into account_rate_limits (account_id, requests_per_minute, tokens_per_minute) values (?, 0, 100000)")
                .param(client.accountId()).update();

        var refused = http.post("/v1/chat/completions", client.key(), chatBody(MODEL, "One.", 8));

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().at("/error/code").asString()).isEqualTo("rate_limit_exceeded");
        assertThat(refused.header("x-ratelimit-limit-requests")).isEqualTo("0");
        assertThat(ledger(client, 1)).containsExactly("grant");
    }

    @Test
    void aTokenBudgetIsEnforcedOnTheWorstCase() {
        Client client = client("tpm");
        jdbc.sql("insert into account_rate_limits (account_id, requests_per_minute, tokens_per_minute) values (?, 100, 150)")
                .param(client.accountId()).update();
        assertThat(http.post("/v1/chat/completions", client.key(), chatBody(MODEL, "Hi.", 100)).status()).isEqualTo(200);
        var second = http.post("/v1/chat/completions", client.key(), chatBody(MODEL, "Hi.", 100));
        assertThat(second.status()).isEqualTo(429);
        assertThat(second.json().get("error").get("message").asString()).contains("tokens per minute");
        assertThat(second.header("x-ratelimit-limit-tokens")).isEqualTo("150");
        assertThat(ledger(client, 3)).containsExactly("grant", "reservation", "charge");
    }

    private Http.Response post(Client client, Map<String, Object> body, String idempotencyKey) {
        try {
            var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + client.key()).header("Content-Type", "application/json")
                    .header("Idempotency-Key", idempotencyKey)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Http.json(body))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return new Http.Response(response.statusCode(), response.body(), response.headers());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> copy(Map<String, Object> body) {
        return new HashMap<>(body);
    }
}
