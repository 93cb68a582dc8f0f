package com.pictura.api.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

/** Function calling, JSON answers, n > 1 and the other fields agent frameworks send, charged exactly. */
class V1ChatToolsTest extends GatewayTestBase {

    static final String MODEL = "llama-3.1-8b-instruct";
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final List<Object> TOOLS = List.of(Map.of("type", "function", "function", Map.of(
            "name", "get_weather", "description", "The current weather in a city.",
            "parameters", Map.of("type", "object", "required", List.of("city"), "properties", Map.of(
                    "city", Map.of("type", "string"),
                    "unit", Map.of("type", "string", "enum", List.of("celsius", "fahrenheit")))))));

    private static Map<String, Object> body(Object... pairs) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            body.put((String) pairs[i], pairs[i + 1]);
        }
        return body;
    }

    private static Map<String, Object> user(String text) {
        return Map.of("role", "user", "content", text);
    }

    private Credits cost(JsonNode usage) {
        return Pricing.chat(usage.get("prompt_tokens").asLong(), usage.get("completion_tokens").asLong(),
                chatPrice(MODEL));
    }

    @Test
    void aToolCallConversationIsChargedWithTheToolSchemasAndCallsCounted() {
        Client client = client("tools");
        List<Object> messages = new ArrayList<>(List.of(user("Weather in Oslo? #sim:tool=get_weather #sim:nousage")));
        var first = http.post("/v1/chat/completions", client.key(),
                body("model", MODEL, "messages", messages, "tools", TOOLS, "max_tokens", 64));

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        JsonNode choice = first.json().get("choices").get(0);
        assertThat(choice.get("finish_reason").asString()).isEqualTo("tool_calls");
        JsonNode call = choice.get("message").get("tool_calls").get(0);
        assertThat(call.get("function").get("name").asString()).isEqualTo("get_weather");
        JsonNode arguments = JSON.readTree(call.get("function").get("arguments").asString());
        assertThat(arguments.get("city").isString()).isTrue();
        // No upstream usage (#sim:nousage): the gateway counted the prompt with the tool schemas, and the call.
        JsonNode usage = first.json().get("usage");
        int prompt = Tokens.exactPrompt(JSON.valueToTree(messages), JSON.valueToTree(TOOLS));
        assertThat(prompt).isGreaterThan(Tokens.exactPrompt(JSON.valueToTree(messages)) + 20);
        assertThat(usage.get("prompt_tokens").asLong()).isEqualTo(prompt);
        assertThat(usage.get("completion_tokens").asLong()).isEqualTo(Tokens.output(choice)).isPositive();
        Credits firstCost = cost(usage);
        assertThat(usage.get("cost").decimalValue()).isEqualByComparingTo(new BigDecimal(firstCost.toString()));

        messages.add(JSON.convertValue(choice.get("message"), Map.class));
        messages.add(Map.of("role", "tool", "tool_call_id", call.get("id").asString(), "content", "{\"temp\": 4}"));
        var second = http.post("/v1/chat/completions", client.key(),
                body("model", MODEL, "messages", messages, "tools", TOOLS, "max_tokens", 64));
        assertThat(second.status()).as(second.body()).isEqualTo(200);
        JsonNode answer = second.json().get("choices").get(0);
        assertThat(answer.get("finish_reason").asString()).isEqualTo("stop");
        assertThat(answer.get("message").get("content").asString()).isNotBlank();
        assertThat(second.json().get("usage").get("prompt_tokens").asLong())
                .as("the earlier tool call and its result are part of the prompt")
                .isEqualTo(Tokens.exactPrompt(JSON.valueToTree(messages), JSON.valueToTree(TOOLS)));

        awaitBalance(client, Credits.of(25).minus(firstCost).minus(cost(second.json().get("usage"))));
        assertThat(ledger(client, 5)).containsExactlyInAnyOrder("grant", "reservation", "charge", "reservation",
                "charge");
    }

    @Test
    void aStreamedToolCallRelaysItsDeltasAndTheGatewayCountsThem() {
        Client client = client("tool-stream");
        Map<String, Object> request = body("model", MODEL, "stream", true,
                "stream_options", Map.of("include_usage", true), "max_tokens", 64, "tools", TOOLS,
                "tool_choice", Map.of("type", "function", "function", Map.of("name", "get_weather")),
                "messages", List.of(user("Weather in Bergen? #sim:nousage")));
        var response = http.post("/v1/chat/completions", client.key(), request);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<String> events = V1ChatTest.events(response.body());
        assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
        StringBuilder arguments = new StringBuilder();
        String name = null;
        String finish = null;
        long counted = 0;
        for (String event : events.subList(0, events.size() - 2)) {
            for (JsonNode c : JSON.readTree(event).get("choices")) {
                counted += Tokens.output(c);
                for (JsonNode call : c.path("delta").path("tool_calls")) {
                    if (call.path("function").has("name")) {
                        name = call.get("function").get("name").asString();
                    }
                    arguments.append(call.path("function").path("arguments").asString(""));
                }
                finish = c.hasNonNull("finish_reason") ? c.get("finish_reason").asString() : finish;
            }
        }
        assertThat(name).isEqualTo("get_weather");
        assertThat(finish).isEqualTo("tool_calls");
        assertThat(JSON.readTree(arguments.toString()).get("city").isString()).isTrue();
        JsonNode usage = JSON.readTree(events.get(events.size() - 2)).get("usage");
        assertThat(usage.get("completion_tokens").asLong()).as("tool-call deltas delivered").isEqualTo(counted)
                .isGreaterThan(3);
        assertThat(usage.get("prompt_tokens").asLong()).isEqualTo(
                Tokens.exactPrompt(JSON.valueToTree(request.get("messages")), JSON.valueToTree(TOOLS)));
        awaitBalance(client, Credits.of(25).minus(cost(usage)));
    }

    @Test
    void nAnswersAreHeldAndChargedForAllOfThem() throws Exception {
        Client client = client("n3");
        List<Object> messages = List.of(user("Three haiku, slowly. #sim:len=10 #sim:delay=150"));
        int n = 3;
        int maxTokens = 40;
        CompletableFuture<Http.Response> call = CompletableFuture.supplyAsync(() -> http.post("/v1/chat/completions",
                client.key(), body("model", MODEL, "messages", messages, "n", n, "max_tokens", maxTokens,
                        "tools", TOOLS)));
        Credits held = Pricing.chatWorstCase(Tokens.prompt(JSON.valueToTree(messages), JSON.valueToTree(TOOLS)),
                (long) n * maxTokens, chatPrice(MODEL));
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(reserved(client)).isEqualTo(held));

        var response = call.get();
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode choices = response.json().get("choices");
        assertThat(choices).hasSize(n);
        assertThat(choices.get(0).get("message").get("content").asString())
                .isNotEqualTo(choices.get(1).get("message").get("content").asString());
        JsonNode usage = response.json().get("usage");
        assertThat(usage.get("completion_tokens").asLong()).isEqualTo(3 * 10);
        awaitBalance(client, Credits.of(25).minus(cost(usage)));
    }

    @Test
    void jsonSchemaAndJsonObjectAnswersAreJsonOfThatShape() {
        Client client = client("json");
        Map<String, Object> schema = Map.of("type", "object", "required", List.of("name", "age", "tags"),
                "properties", Map.of("name", Map.of("type", "string"), "age", Map.of("type", "integer"),
                        "tags", Map.of("type", "array", "items", Map.of("type", "string"))));
        var structured = http.post("/v1/chat/completions", client.key(), body("model", MODEL, "max_tokens", 64,
                "messages", List.of(user("A person, as JSON.")), "response_format",
                Map.of("type", "json_schema", "json_schema", Map.of("name", "person", "strict", true, "schema", schema))));
        assertThat(structured.status()).as(structured.body()).isEqualTo(200);
        JsonNode person = JSON.readTree(structured.json().get("choices").get(0).get("message").get("content").asString());
        assertThat(person.get("name").isString()).isTrue();
        assertThat(person.get("age").isIntegralNumber()).isTrue();
        assertThat(person.get("tags").isArray()).isTrue();
        JsonNode usage = structured.json().get("usage");
        assertThat(usage.get("completion_tokens").asLong()).isEqualTo(Tokens.count(person.toString()));

        var object = http.post("/v1/chat/completions", client.key(), body("model", MODEL, "max_tokens", 64,
                "messages", List.of(user("Anything, as JSON.")), "response_format", Map.of("type", "json_object")));
        assertThat(object.status()).as(object.body()).isEqualTo(200);
        assertThat(JSON.readTree(object.json().get("choices").get(0).get("message").get("content").asString())
                .isObject()).isTrue();
        awaitBalance(client, Credits.of(25).minus(cost(usage)).minus(cost(object.json().get("usage"))));
    }

    @Test
    void legacyFunctionsAreAnsweredAsAFunctionCall() {
        Client client = client("functions");
        Object functions = List.of(Map.of("name", "lookup", "parameters",
                Map.of("type", "object", "properties", Map.of("term", Map.of("type", "string")))));
        List<Object> messages = new ArrayList<>(List.of(user("Look up harbours.")));
        var first = http.post("/v1/chat/completions", client.key(), body("model", MODEL, "max_tokens", 64,
                "messages", messages, "functions", functions, "function_call", Map.of("name", "lookup")));
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        JsonNode choice = first.json().get("choices").get(0);
        assertThat(choice.get("finish_reason").asString()).isEqualTo("function_call");
        assertThat(choice.get("message").has("tool_calls")).isFalse();
        assertThat(choice.get("message").get("function_call").get("name").asString()).isEqualTo("lookup");

        messages.add(JSON.convertValue(choice.get("message"), Map.class));
        messages.add(Map.of("role", "function", "name", "lookup", "content", "Harbours are sheltered waters."));
        var second = http.post("/v1/chat/completions", client.key(), body("model", MODEL, "max_tokens", 64,
                "messages", messages, "functions", functions));
        assertThat(second.status()).as(second.body()).isEqualTo(200);
        assertThat(second.json().get("choices").get(0).get("message").get("content").asString()).isNotBlank();
    }

    @Test
    void seedStopLogprobsUserAndMetadataAreAcceptedAndHonoured() {
        Client client = client("sampling");
        List<Object> messages = List.of(user("Describe the evening."));
        var seeded = http.post("/v1/chat/completions", client.key(), body("model", MODEL, "max_tokens", 40,
                "messages", messages, "seed", 7, "user", "user-123", "metadata", Map.of("session", "abc")));
        var again = http.post("/v1/chat/completions", client.key(), body("model", MODEL, "max_tokens", 40,
                "messages", messages, "seed", 7));
        var other = http.post("/v1/chat/completions", client.key(), body("model", MODEL, "max_tokens", 40,
                "messages", messages, "seed", 8));
        String text = content(seeded);
        assertThat(content(again)).isEqualTo(text);
        assertThat(content(other)).isNotEqualTo(text);

        String[] words = text.split(" ");
        String stop = " " + words[3];
        var stopped = http.post("/v1/chat/completions", client.key(), body("model", MODEL, "max_tokens", 40,
                "messages", messages, "seed", 7, "stop", List.of(stop)));
        assertThat(content(stopped)).isEqualTo(text.substring(0, text.indexOf(stop)));
        assertThat(stopped.json().get("usage").get("completion_tokens").asLong()).isEqualTo(Tokens.count(content(stopped)));

        var logprobs = http.post("/v1/chat/completions", client.key(), body("model", MODEL, "max_tokens", 8,
                "messages", messages, "logprobs", true, "top_logprobs", 2));
        JsonNode entries = logprobs.json().get("choices").get(0).get("logprobs").get("content");
        assertThat(entries).isNotEmpty();
        assertThat(entries.get(0).get("top_logprobs")).hasSize(2);
    }

    @Test
    void unknownFieldsAreDroppedAndNamedNotRefused() {
        Client client = client("unknown");
        var response = http.post("/v1/chat/completions", client.key(), body("model", MODEL, "max_tokens", 8,
                "messages", List.of(user("Hi.")), "service_tier", "auto", "top_k", 40,
                "prediction", Map.of("type", "content", "content", "x"), "reasoning_effort", "low"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("x-pictura-ignored-fields")).isEqualTo("service_tier, prediction, reasoning_effort");
    }

    @Test
    void malformedToolsAndFormatsAre400AndHoldNothing() {
        Client client = client("bad-tools");
        long calls = simulator.calls();
        List<Object> messages = List.of(user("Hi."));
        Map<String, Map<String, Object>> cases = new LinkedHashMap<>();
        cases.put("tools", body("tools", "get_weather"));
        cases.put("tools[0].function.name", body("tools", List.of(Map.of("type", "function",
                "function", Map.of("name", "bad name!")))));
        cases.put("tool_choice", body("tools", TOOLS, "tool_choice",
                Map.of("type", "function", "function", Map.of("name", "nope"))));
        cases.put("functions", body("tools", TOOLS, "functions", List.of(Map.of("name", "f"))));
        cases.put("messages[1].tool_call_id", body("messages", List.of(user("Hi."),
                Map.of("role", "tool", "content", "4 degrees"))));
        cases.put("response_format.json_schema", body("response_format", Map.of("type", "json_schema",
                "json_schema", Map.of("schema", Map.of()))));
        cases.put("top_logprobs", body("top_logprobs", 2));
        cases.put("n", body("n", ChatRequests.MAX_N + 1));
        cases.put("metadata", body("metadata", Map.of("k", 1)));
        cases.forEach((param, fields) -> {
            Map<String, Object> request = body("model", MODEL, "max_tokens", 8, "messages", messages);
            request.putAll(fields);
            var response = http.post("/v1/chat/completions", client.key(), request);
            assertThat(response.status()).as(param + ": " + response.body()).isEqualTo(400);
            assertThat(response.json().get("error").get("param").asString()).isEqualTo(param);
        });
        assertThat(simulator.calls()).isEqualTo(calls);
        assertThat(ledger(client, 1)).containsExactly("grant");
        awaitBalance(client, Credits.of(25));
    }

    private static String content(Http.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get("choices").get(0).get("message").get("content").asString();
    }
}
