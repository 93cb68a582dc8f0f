package com.pictura.api.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import com.pictura.api.Http;
import com.pictura.domain.wallet.Credits;
import org.junit.jupiter.api.Test;

/**
 * Upstream errors kept honest: a refusal the client caused keeps its status and the provider's message, a
 * provider's 429 stays a 429 with Retry-After, only real failures are 502; none of them is charged.
 */
class V1UpstreamErrorsTest extends GatewayTestBase {

    static final String MODEL = "qwen-2.5-7b-instruct";

    private Http.Response chat(Client client, String prompt, boolean stream) {
        Map<String, Object> request = new HashMap<>(chatBody(MODEL, prompt, 16));
        if (stream) {
            request.put("stream", true);
        }
        return http.post("/v1/chat/completions", client.key(), request);
    }

    private void nothingCharged(Client client, int calls) {
        awaitBalance(client, Credits.of(25));
        assertThat(ledger(client, 1 + 2 * calls)).filteredOn("charge"::equals).isEmpty();
    }

    @Test
    void aRefusalTheClientCausedKeepsItsStatusAndTheProvidersMessage() {
        Client client = client("upstream-400");
        for (boolean stream : new boolean[] {false, true}) {
            var bad = chat(client, "Hi #sim:error=400", stream);
            assertThat(bad.status()).as(bad.body()).isEqualTo(400);
            assertThat(bad.json().get("error").get("type").asString()).isEqualTo("invalid_request_error");
            assertThat(bad.json().get("error").get("message").asString())
                    .contains("simulated refusal: the request is not acceptable (400)");
            assertThat(bad.json().get("error").get("param").asString()).isEqualTo("messages");
        }
        var unprocessable = chat(client, "Hi #sim:error=422", false);
        assertThat(unprocessable.status()).as(unprocessable.body()).isEqualTo(422);
        nothingCharged(client, 3);
    }

    @Test
    void aProviders429IsA429WithRetryAfter() {
        Client client = client("upstream-429");
        for (boolean stream : new boolean[] {false, true}) {
            var limited = chat(client, "Hi #sim:error=429 #sim:retry=7", stream);
            assertThat(limited.status()).as(limited.body()).isEqualTo(429);
            assertThat(limited.header("Retry-After")).isEqualTo("7");
            assertThat(limited.json().get("error").get("type").asString()).isEqualTo("rate_limit_error");
            assertThat(limited.json().get("error").get("code").asString()).isEqualTo("upstream_rate_limited");
        }
        nothingCharged(client, 2);
    }

    @Test
    void onlyRealFailuresAre502() {
        Client client = client("upstream-5xx");
        // 401 and 404 at the provider mean our key or our model name is wrong: not the client's to fix.
        for (String status : new String[] {"401", "404", "500", "503"}) {
            var failed = chat(client, "Hi #sim:error=" + status, false);
            assertThat(failed.status()).as(status + ": " + failed.body()).isEqualTo(502);
            assertThat(failed.json().get("error").get("code").asString()).isEqualTo("upstream_error");
        }
        nothingCharged(client, 4);
    }

    @Test
    void anImageRefusalKeepsItsStatusToo() {
        Client client = client("upstream-image-400");
        var bad = http.post("/v1/images/generations", client.key(),
                Map.of("model", "sdxl", "prompt", "a harbour #sim:error=400", "size", "512x512"));
        assertThat(bad.status()).as(bad.body()).isEqualTo(400);
        assertThat(bad.json().get("error").get("message").asString()).contains("simulated refusal");
        nothingCharged(client, 1);
    }
}
