package com.pictura.api.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import com.pictura.api.Http;
import com.pictura.api.IntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * Per-key controls: spending limits per day, month and lifetime (enforced by the wallet with every hold, so
 * concurrent calls cannot pass them together), a model allow-list, an expiry; set at issue or later, by the
 * key's owner only.
 */
class KeyLimitsTest extends IntegrationTest {

    private static final String IMAGE = Http.json(Map.of("model", "flux-schnell", "prompt", "a lighthouse at dusk",
            "size", "256x256", "n", 1)); // 0.08 credits, held and charged exactly

    @Test
    void aKeyIssuedWithLimitsShowsThem() {
        Person owner = signUp("limited");
        var issued = http.post("/api/keys", owner.session(), Map.of("name", "ci", "limits", Map.of(
                "dailyCreditLimit", "1.5", "lifetimeCreditLimit", "10", "models", List.of("flux-schnell"),
                "expiresAt", "2099-01-01T00:00:00Z")));

        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        var listed = http.get("/api/keys", owner.session()).json().get(0).get("limits");
        assertThat(listed.get("dailyCreditLimit").asString()).isEqualTo("1.500000");
        assertThat(listed.get("monthlyCreditLimit").isNull()).isTrue();
        assertThat(listed.get("lifetimeCreditLimit").asString()).isEqualTo("10.000000");
        assertThat(listed.get("models").get(0).asString()).isEqualTo("flux-schnell");
        assertThat(listed.get("expiresAt").asString()).isEqualTo("2099-01-01T00:00:00Z");
    }

    @Test
    void badLimitsAreRefusedByFieldAndNoKeyIsIssued() {
        Person owner = signUp("badlimits");
        Map<String, Map<String, Object>> bad = Map.of(
                "dailyCreditLimit", Map.of("dailyCreditLimit", "lots"),
                "monthlyCreditLimit", Map.of("monthlyCreditLimit", "0"),
                "lifetimeCreditLimit", Map.of("lifetimeCreditLimit", "1.0000001"),
                "models", Map.of("models", List.of("gpt-17")),
                "expiresAt", Map.of("expiresAt", "2001-01-01T00:00:00Z"));
        bad.forEach((param, limits) -> {
            var refused = http.post("/api/keys", owner.session(), Map.of("name", "bad", "limits", limits));
            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
            assertThat(refused.json().at("/error/param").asString()).isEqualTo(param);
        });
        assertThat(http.get("/api/keys", owner.session()).json().size()).isZero();
    }

    @Test
    void concurrentCallsNeverTakeAKeyPastItsLimit() {
        Person owner = signUp("burst");
        String limited = key(owner, Map.of("lifetimeCreditLimit", "1.00"));
        String unlimited = key(owner, null);

        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> refusals = new ArrayList<>();
        HttpClient client = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            calls.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/v1/images/generations")).timeout(Duration.ofSeconds(120))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + limited)
                    .POST(HttpRequest.BodyPublishers.ofString(IMAGE)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (var call : calls) {
            HttpResponse<String> answer = call.join();
            statuses.merge(answer.statusCode(), 1, Integer::sum);
            if (answer.statusCode() == 402) {
                refusals.add(answer.body());
            }
        }

        // 1.00 / 0.08: twelve images (0.96), and not one more, however the calls interleave.
        assertThat(statuses).isEqualTo(Map.of(200, 12, 402, 28));
        assertThat(refusals).allSatisfy(body -> assertThat(body).contains("\"code\":\"key_limit_reached\"")
                .contains("lifetime spending limit is 1.000000 credits"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(http.get("/api/me", owner.session())
                .json().at("/balance/available").asString()).isEqualTo("24.040000"));
        // The limit is the key's, not the wallet's: another key of the account still calls.
        assertThat(http.post("/v1/images/generations", unlimited, IMAGE).status()).isEqualTo(200);
    }

    @Test
    void aModelOutsideTheAllowListIsRefused403AndNothingIsHeld() {
        Person owner = signUp("allowlist");
        String key = key(owner, Map.of("models", List.of("llama-3.3-70b-instruct")));

        var refused = http.post("/v1/images/generations", key, IMAGE);

        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.json().at("/error/code").asString()).isEqualTo("model_not_allowed");
        assertThat(refused.json().at("/error/message").asString()).contains("flux-schnell", "llama-3.3-70b-instruct");
        assertThat(http.post("/v1/chat/completions", key, Map.of("model", "llama-3.3-70b-instruct",
                "messages", List.of(Map.of("role", "user", "content", "Say hello to the allow-list."))))
                .status()).isEqualTo(200);
        assertThat(jdbc.sql("select count(*) from domain_event_entry where aggregate_identifier = ? "
                        + "and payload_type like '%CreditsReserved'")
                .param("wal_" + owner.accountId().substring("acct_".length())).query(Long.class).single())
                .as("holds: the chat call's only").isEqualTo(1);
    }

    @Test
    void anExpiredKeyStopsWorking() {
        Person owner = signUp("expiring");
        var issued = http.post("/api/keys", owner.session(), Map.of("name", "temp"));
        String key = issued.json().get("key").asString();
        Instant soon = Instant.now().plusSeconds(2);

        var set = http.put("/api/keys/" + issued.json().get("id").asString() + "/limits", owner.session(),
                Map.of("expiresAt", soon.toString()));

        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(http.get("/v1/models", key).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            var refused = http.get("/v1/models", key);
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.json().at("/error/message").asString()).contains("expired");
        });
    }

    @Test
    void limitsChangeLaterOnlyByTheOwnerAndTakeEffectAtOnce() {
        Person owner = signUp("changer");
        Person stranger = signUp("meddler");
        var issued = http.post("/api/keys", owner.session(), Map.of("name", "app"));
        String id = issued.json().get("id").asString();
        String key = issued.json().get("key").asString();

        assertThat(http.put("/api/keys/" + id + "/limits", stranger.session(), Map.of("dailyCreditLimit", "0.1"))
                .status()).isEqualTo(404);
        assertThat(http.put("/api/keys/" + id + "/limits", owner.session(), Map.of("dailyCreditLimit", "0.1"))
                .status()).isEqualTo(200);
        assertThat(http.post("/v1/images/generations", key, IMAGE).status()).isEqualTo(200);
        var second = http.post("/v1/images/generations", key, IMAGE);
        assertThat(second.status()).isEqualTo(402);
        assertThat(second.json().at("/error/message").asString()).contains("daily spending limit is 0.100000");

        assertThat(http.put("/api/keys/" + id + "/limits", owner.session(), Map.of()).status()).isEqualTo(200);
        assertThat(http.post("/v1/images/generations", key, IMAGE).status()).isEqualTo(200);
    }

    private String key(Person owner, Map<String, Object> limits) {
        var issued = http.post("/api/keys", owner.session(), limits == null ? Map.of("name", "k")
                : Map.of("name", "k", "limits", limits));
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        return issued.json().get("key").asString();
    }
}
