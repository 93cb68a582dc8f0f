package com.pictura.api.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.pictura.api.Http;
import com.pictura.api.IntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Usage per call from its read model: one call by its request id, and the list, keyset-paged, own calls only. */
class UsageTest extends IntegrationTest {

    @Test
    void aCallIsFoundByItsRequestIdWithWhatItCostAndOnlyByItsOwner() {
        Person owner = signUp("usage");
        String key = key(owner);
        var answer = chat(key, "Describe a harbour.");
        String requestId = answer.header("x-request-id");

        JsonNode call = awaitCall(owner, requestId, "charged");

        assertThat(call.get("cost").asString())
                .isEqualTo(answer.json().at("/usage/cost").decimalValue().setScale(6).toPlainString());
        assertThat(call.get("model").asString()).isEqualTo("llama-3.1-8b-instruct");
        assertThat(call.get("inputTokens").asLong()).isEqualTo(answer.json().at("/usage/prompt_tokens").asLong());
        assertThat(call.get("outputTokens").asLong()).isEqualTo(answer.json().at("/usage/completion_tokens").asLong());
        assertThat(call.get("upstream").asString()).isEqualTo("simulator");
        assertThat(http.get("/api/usage/" + requestId, signUp("stranger").session()).status()).isEqualTo(404);
    }

    @Test
    void aFailedCallShowsAsReleasedAndCostNothing() {
        Person owner = signUp("usage-failed");
        var answer = chat(key(owner), "Fail please. #sim:error=503");
        assertThat(answer.status()).isEqualTo(502);

        JsonNode call = awaitCall(owner, answer.header("x-request-id"), "released");

        assertThat(call.get("cost").asString()).isEqualTo("0.000000");
    }

    @Test
    void theListIsNewestFirstAndKeysetPaged() {
        Person owner = signUp("usage-pages");
        String key = key(owner);
        List<String> requests = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            requests.add(chat(key, "Call number " + i + ".").header("x-request-id"));
        }
        awaitCall(owner, requests.get(2), "charged");

        var first = http.get("/api/usage?limit=2", owner.session()).json();
        var second = http.get("/api/usage?limit=2&after=" + first.get("next").asString(), owner.session()).json();

        List<String> seen = new ArrayList<>();
        first.get("calls").forEach(c -> seen.add(c.get("requestId").asString()));
        second.get("calls").forEach(c -> seen.add(c.get("requestId").asString()));
        assertThat(seen).containsExactly(requests.get(2), requests.get(1), requests.get(0));
        assertThat(second.get("next").isNull()).isTrue();
        assertThat(http.get("/api/usage?after=garbage", owner.session()).json().at("/error/param").asString())
                .isEqualTo("after");
    }

    @Test
    void totalsPerDayModelAndKeyAddUpTheCallsAndTheExportListsThem() {
        Person owner = signUp("usage-totals");
        String key = key(owner);
        List<String> requests = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            requests.add(chat(key, "Total number " + i + ".").header("x-request-id"));
        }
        JsonNode one = awaitCall(owner, requests.get(0), "charged");
        JsonNode two = awaitCall(owner, requests.get(1), "charged");

        JsonNode totals = http.get("/api/usage/totals", owner.session()).json();
        assertThat(totals.size()).isEqualTo(1);
        assertThat(totals.at("/0/calls").asLong()).isEqualTo(2);
        assertThat(totals.at("/0/model").asString()).isEqualTo("llama-3.1-8b-instruct");
        assertThat(totals.at("/0/outputTokens").asLong())
                .isEqualTo(one.get("outputTokens").asLong() + two.get("outputTokens").asLong());
        assertThat(new java.math.BigDecimal(totals.at("/0/cost").asString())).isEqualByComparingTo(
                new java.math.BigDecimal(one.get("cost").asString()).add(new java.math.BigDecimal(two.get("cost").asString())));

        var csv = http.get("/api/usage/export", owner.session());
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        assertThat(csv.body().lines().toList()).hasSize(3).element(1).asString().contains(requests.get(0));
        assertThat(http.get("/api/usage/totals?from=tomorrow", owner.session()).json().at("/error/param").asString())
                .isEqualTo("from");
    }

    private JsonNode awaitCall(Person owner, String requestId, String outcome) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            var call = http.get("/api/usage/" + requestId, owner.session());
            assertThat(call.status()).isEqualTo(200);
            assertThat(call.json().get("outcome").asString()).isEqualTo(outcome);
            found[0] = call.json();
        });
        return found[0];
    }

    private String key(Person owner) {
        return http.post("/api/keys", owner.session(), Map.of("name", "usage")).json().get("key").asString();
    }

    private Http.Response chat(String key, String prompt) {
        return http.post("/v1/chat/completions", key, Map.of("model", "llama-3.1-8b-instruct", "max_tokens", 20,
                "messages", List.of(Map.of("role", "user", "content", prompt))));
    }
}
