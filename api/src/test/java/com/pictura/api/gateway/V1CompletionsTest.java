package com.pictura.api.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.pictura.api.Http;
import com.pictura.api.provider.Tokens;
import com.pictura.domain.inference.Pricing;
import com.pictura.domain.wallet.Credits;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Legacy text completions: every prompt times n answers held and charged, streamed or not. */
class V1CompletionsTest extends GatewayTestBase {

    static final String MODEL = "qwen-2.5-7b-instruct";
    static final JsonMapper JSON = JsonMapper.builder().build();

    private Credits cost(JsonNode usage) {
        return Pricing.chat(usage.get("prompt_tokens").asLong(), usage.get("completion_tokens").asLong(),
                chatPrice(MODEL));
    }

    @Test
    void aBatchOfPromptsTimesNIsHeldAndChargedForEveryAnswer() throws Exception {
        Client client = client("completions");
        List<String> prompts = List.of("Roses are #sim:len=5 #sim:delay=150", "The sea is");
        CompletableFuture<Http.Response> call = CompletableFuture.supplyAsync(() -> http.post("/v1/completions",
                client.key(), Map.of("model", MODEL, "prompt", prompts, "n", 2, "max_tokens", 8)));
        long estimate = 0;
        long exact = 0;
        for (String prompt : prompts) {
            estimate += Tokens.textEstimate(prompt, Tokens.COMPLETION_SPECIAL);
            exact += Tokens.exactText(prompt, Tokens.COMPLETION_SPECIAL);
        }
        Credits held = Pricing.chatWorstCase(estimate, 4 * 8, chatPrice(MODEL));
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(reserved(client)).isEqualTo(held));

        var response = call.get();
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("object").asString()).isEqualTo("text_completion");
        assertThat(body.get("model").asString()).isEqualTo(MODEL);
        assertThat(body.get("choices")).hasSize(4);
        for (JsonNode choice : body.get("choices")) {
            assertThat(Tokens.count(choice.get("text").asString())).isEqualTo(5);
        }
        JsonNode usage = body.get("usage");
        assertThat(usage.get("prompt_tokens").asLong()).isEqualTo(exact);
        assertThat(usage.get("completion_tokens").asLong()).isEqualTo(20);
        assertThat(usage.get("cost").decimalValue()).isEqualByComparingTo(new BigDecimal(cost(usage).toString()));
        awaitBalance(client, Credits.of(25).minus(cost(usage)));
        assertThat(ledger(client, 3)).containsExactly("grant", "reservation", "charge");
    }

    @Test
    void aStreamedCompletionWithoutUpstreamUsageIsChargedForTheTextDelivered() {
        Client client = client("completions-stream");
        String prompt = "def fibonacci(n): #sim:len=9 #sim:nousage";
        var response = http.post("/v1/completions", client.key(), Map.of("model", MODEL, "prompt", prompt,
                "max_tokens", 32, "stream", true, "stream_options", Map.of("include_usage", true)));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<String> events = V1ChatTest.events(response.body());
        assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        for (String event : events.subList(0, events.size() - 2)) {
            JsonNode chunk = JSON.readTree(event);
            assertThat(chunk.get("object").asString()).isEqualTo("text_completion");
            chunk.get("choices").forEach(c -> text.append(c.path("text").asString("")));
        }
        JsonNode usage = JSON.readTree(events.get(events.size() - 2)).get("usage");
        assertThat(Tokens.count(text)).isEqualTo(9);
        assertThat(usage.get("completion_tokens").asLong()).isEqualTo(9);
        assertThat(usage.get("prompt_tokens").asLong()).isEqualTo(Tokens.exactText(prompt, Tokens.COMPLETION_SPECIAL));
        awaitBalance(client, Credits.of(25).minus(cost(usage)));
    }

    @Test
    void maxTokensDefaultsTo16AndUnservedOptionsAre400() {
        Client client = client("completions-defaults");
        var response = http.post("/v1/completions", client.key(), Map.of("model", MODEL, "prompt", "Once #sim:len=40"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("usage").get("completion_tokens").asLong()).isEqualTo(16);
        assertThat(response.json().get("choices").get(0).get("finish_reason").asString()).isEqualTo("length");
        Credits charged = cost(response.json().get("usage"));
        awaitBalance(client, Credits.of(25).minus(charged));

        long calls = simulator.calls();
        for (Map<String, Object> bad : List.of(Map.<String, Object>of("model", MODEL, "prompt", "x", "echo", true),
                Map.<String, Object>of("model", MODEL, "prompt", List.of(1, 2, 3)),
                Map.<String, Object>of("model", "bge-m3", "prompt", "x"))) {
            var refused = http.post("/v1/completions", client.key(), bad);
            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        }
        assertThat(simulator.calls()).isEqualTo(calls);
        assertThat(ledger(client, 3)).containsExactly("grant", "reservation", "charge");
    }
}
