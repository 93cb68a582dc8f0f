package com.pictura.api.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.pictura.api.Http;
import com.pictura.api.provider.Tokens;
import com.pictura.domain.inference.Pricing;
import com.pictura.domain.wallet.Credits;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class V1ChatTest extends GatewayTestBase {

    static final String MODEL = "llama-3.1-8b-instruct";
    static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aChatCompletionIsChargedExactlyItsUsage() {
        Client client = client("chat");
        var response = http.post("/v1/chat/completions", client.key(), chatBody(MODEL, "Describe a quiet harbour.", 64));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("object").asString()).isEqualTo("chat.completion");
        assertThat(body.get("model").asString()).isEqualTo(MODEL);
        String content = body.get("choices").get(0).get("message").get("content").asString();
        long prompt = body.get("usage").get("prompt_tokens").asLong();
        long completion = body.get("usage").get("completion_tokens").asLong();
        assertThat(completion).isEqualTo(Tokens.count(content)).isPositive();
        Credits cost = Pricing.chat(prompt, completion, chatPrice(MODEL));
        assertThat(body.get("usage").get("cost").decimalValue()).isEqualByComparingTo(new BigDecimal(cost.toString()));
        assertThat(response.header("x-request-id")).startsWith("req_");
        assertThat(response.header("x-pictura-credits-remaining")).isEqualTo(Credits.of(25).minus(cost).toString());

        awaitBalance(client, Credits.of(25).minus(cost));
        assertThat(ledger(client, 3)).containsExactly("grant", "reservation", "charge");
        // The charge settled the hold: the sweeper has nothing left to release.
        String reservation = jdbc.sql("select reference from ledger_lines where wallet_id = ? and kind = 'charge'")
                .param(client.walletId()).query(String.class).single();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                jdbc.sql("select count(*) from open_holds where reservation_id = ?")
                        .param(reservation).query(Long.class).single()).isZero());
    }

    @Test
    void aStreamIsRelayedChunkByChunkAndItsUsageChunkCarriesTheCost() {
        Client client = client("stream");
        Map<String, Object> request = new java.util.HashMap<>(chatBody(MODEL, "Tell me about rivers.", 64));
        request.put("stream", true);
        request.put("stream_options", Map.of("include_usage", true));
        var response = http.post("/v1/chat/completions", client.key(), request);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("content-type")).startsWith("text/event-stream");
        List<String> events = events(response.body());
        assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        JsonNode usage = null;
        for (String event : events.subList(0, events.size() - 1)) {
            JsonNode chunk = JSON.readTree(event);
            assertThat(chunk.get("model").asString()).isEqualTo(MODEL);
            for (JsonNode choice : chunk.get("choices")) {
                text.append(choice.path("delta").path("content").asString(""));
            }
            if (chunk.hasNonNull("usage")) {
                usage = chunk.get("usage");
            }
        }
        assertThat(usage).as("the final usage chunk").isNotNull();
        assertThat(usage.get("completion_tokens").asLong()).isEqualTo(Tokens.count(text)).isPositive();
        Credits cost = Pricing.chat(usage.get("prompt_tokens").asLong(), usage.get("completion_tokens").asLong(),
                chatPrice(MODEL));
        assertThat(usage.get("cost").decimalValue()).isEqualByComparingTo(new BigDecimal(cost.toString()));

        awaitBalance(client, Credits.of(25).minus(cost));
        assertThat(ledger(client, 3)).containsExactly("grant", "reservation", "charge");
    }

    @Test
    void aStreamWithoutIncludeUsageEndsWithDoneAndNoUsageChunk() {
        Client client = client("stream-nousage");
        Map<String, Object> request = new java.util.HashMap<>(chatBody(MODEL, "Hello.", 16));
        request.put("stream", true);
        var response = http.post("/v1/chat/completions", client.key(), request);
        List<String> events = events(response.body());
        assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
        assertThat(events).noneMatch(e -> e.contains("\"usage\""));
    }

    @Test
    void anAnswerWithoutUsageIsChargedByCountingWhatWasDelivered() {
        Client client = client("no-usage");
        var response = http.post("/v1/chat/completions", client.key(), chatBody(MODEL, "Hi #sim:nousage #sim:len=7", 32));
        assertThat(response.status()).isEqualTo(200);
        JsonNode usage = response.json().get("usage");
        assertThat(usage.get("completion_tokens").asLong()).isEqualTo(7);
        JsonNode messages = JSON.valueToTree(List.of(Map.of("role", "user", "content", "Hi #sim:nousage #sim:len=7")));
        int input = Tokens.exactPrompt(messages);
        assertThat(input).as("the held estimate carries a margin; the charge is the count").isLessThan(Tokens.prompt(messages));
        assertThat(usage.get("prompt_tokens").asLong()).isEqualTo(input);
        awaitBalance(client, Credits.of(25).minus(Pricing.chat(input, 7, chatPrice(MODEL))));
    }

    @Test
    void aStreamedAnswerWithoutUsageIsChargedForTheTokensDelivered() {
        Client client = client("stream-no-usage");
        Map<String, Object> request = new java.util.HashMap<>(chatBody(MODEL, "Hi #sim:nousage #sim:len=9", 32));
        request.put("stream", true);
        request.put("stream_options", Map.of("include_usage", true));
        var response = http.post("/v1/chat/completions", client.key(), request);
        List<String> events = events(response.body());
        assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
        JsonNode usage = JSON.readTree(events.get(events.size() - 2)).get("usage");
        assertThat(usage.get("completion_tokens").asLong()).isEqualTo(9);
        int input = Tokens.exactPrompt(JSON.valueToTree(request.get("messages")));
        assertThat(usage.get("prompt_tokens").asLong()).isEqualTo(input);
        awaitBalance(client, Credits.of(25).minus(Pricing.chat(input, 9, chatPrice(MODEL))));
    }

    static List<String> events(String body) {
        List<String> events = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            for (String line : block.split("\n")) {
                if (line.startsWith("data: ")) {
                    events.add(line.substring(6));
                }
            }
        }
        return events;
    }

    static Http.Response post(Http http, String key, Object body) {
        return http.post("/v1/chat/completions", key, body);
    }
}
