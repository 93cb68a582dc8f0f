package com.pictura.api.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import java.util.Map;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.pictura.api.provider.Tokens;
import com.pictura.domain.inference.Pricing;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImagesResponse;
import com.openai.models.models.Model;
import com.pictura.domain.wallet.Credits;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK works against /v1 with nothing changed but its base URL and key. */
class OpenAiSdkCompatibilityTest extends GatewayTestBase {

    private OpenAIClient openAi(Client client) {
        return OpenAIOkHttpClient.builder()
                .baseUrl("http://127.0.0.1:" + port + "/v1")
                .apiKey(client.key())
                .maxRetries(0)
                .build();
    }

    @Test
    void modelsChatStreamingAndImagesWorkThroughTheSdk() {
        Client client = client("sdk");
        OpenAIClient openAi = openAi(client);

        List<String> ids = new ArrayList<>();
        for (Model model : openAi.models().list().data()) {
            ids.add(model.id());
        }
        assertThat(ids).contains("llama-3.1-8b-instruct", "flux-schnell");

        ChatCompletion completion = openAi.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("llama-3.1-8b-instruct")
                .addUserMessage("Say something about the sea.")
                .maxCompletionTokens(32)
                .build());
        assertThat(completion.choices().get(0).message().content()).hasValueSatisfying(c -> assertThat(c).isNotBlank());
        assertThat(completion.usage()).hasValueSatisfying(u -> assertThat(u.completionTokens()).isPositive());

        StringBuilder streamed = new StringBuilder();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = openAi.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder()
                        .model("qwen-2.5-7b-instruct")
                        .addUserMessage("Say something about hills.")
                        .maxCompletionTokens(32)
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                        .build())) {
            stream.stream().forEach(chunk -> {
                chunks.add(chunk);
                chunk.choices().forEach(c -> c.delta().content().ifPresent(streamed::append));
            });
        }
        assertThat(streamed.toString()).isNotBlank();
        assertThat(chunks.get(chunks.size() - 1).usage())
                .hasValueSatisfying(u -> assertThat(u.completionTokens()).isPositive());

        ImagesResponse images = openAi.images().generate(ImageGenerateParams.builder()
                .model("sdxl")
                .prompt("a quiet harbour")
                .size(ImageGenerateParams.Size._512X512)
                .responseFormat(ImageGenerateParams.ResponseFormat.B64_JSON)
                .build());
        String b64 = images.data().orElseThrow().get(0).b64Json().orElseThrow();
        byte[] png = Base64.getDecoder().decode(b64);
        assertThat(png[1]).isEqualTo((byte) 'P');

        // Settlement is asynchronous, so a later hold may come before an earlier charge: count, don't order.
        assertThat(ledger(client, 7)).containsExactlyInAnyOrder("grant", "reservation", "charge", "reservation",
                "charge", "reservation", "charge");
        assertThat(available(client)).isLessThan(Credits.of(25));
    }

    private static final String CHAT = "llama-3.1-8b-instruct";
    private static final FunctionDefinition WEATHER = FunctionDefinition.builder()
            .name("get_weather")
            .description("The current weather in a city.")
            .parameters(FunctionParameters.builder()
                    .putAdditionalProperty("type", JsonValue.from("object"))
                    .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                    .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                    .build())
            .build();

    private Credits chatCost(com.openai.models.completions.CompletionUsage usage) {
        return Pricing.chat(usage.promptTokens(), usage.completionTokens(), chatPrice(CHAT));
    }

    @Test
    void toolCallsJsonSchemaAndEmbeddingsWorkThroughTheSdkAndAreChargedExactly() {
        Client client = client("sdk-tools");
        OpenAIClient openAi = openAi(client);
        JsonMapper json = JsonMapper.builder().build();
        Credits spent = Credits.ZERO;

        // A tool-calling conversation: the model calls the tool, the client answers it, the model replies.
        ChatCompletion call = openAi.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(CHAT).addUserMessage("Weather in Oslo? #sim:tool=get_weather").addFunctionTool(WEATHER)
                .maxCompletionTokens(64).build());
        ChatCompletionMessage asked = call.choices().get(0).message();
        ChatCompletionMessageFunctionToolCall toolCall = asked.toolCalls().orElseThrow().get(0).asFunction();
        assertThat(call.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(toolCall.function().name()).isEqualTo("get_weather");
        assertThat(json.readTree(toolCall.function().arguments()).get("city").isString()).isTrue();
        spent = spent.plus(chatCost(call.usage().orElseThrow()));
        ChatCompletion reply = openAi.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(CHAT).addUserMessage("Weather in Oslo? #sim:tool=get_weather").addFunctionTool(WEATHER)
                .addMessage(asked)
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(toolCall.id())
                        .content("{\"temperature\": 4}").build())
                .maxCompletionTokens(64).build());
        assertThat(reply.choices().get(0).message().content()).hasValueSatisfying(c -> assertThat(c).isNotBlank());
        spent = spent.plus(chatCost(reply.usage().orElseThrow()));

        // A streamed tool call: the SDK reassembles the argument deltas.
        StringBuilder arguments = new StringBuilder();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = openAi.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model(CHAT).addUserMessage("Weather in Bergen?")
                        .addFunctionTool(WEATHER)
                        .toolChoice(ChatCompletionNamedToolChoice.builder().function(
                                ChatCompletionNamedToolChoice.Function.builder().name("get_weather").build()).build())
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                        .maxCompletionTokens(64).build())) {
            stream.stream().forEach(chunk -> {
                chunks.add(chunk);
                chunk.choices().forEach(c -> c.delta().toolCalls().ifPresent(calls -> calls.forEach(t ->
                        t.function().flatMap(f -> f.arguments()).ifPresent(arguments::append))));
            });
        }
        assertThat(json.readTree(arguments.toString()).get("city").isString()).isTrue();
        spent = spent.plus(chatCost(chunks.get(chunks.size() - 1).usage().orElseThrow()));

        // A JSON-schema answer.
        ChatCompletion structured = openAi.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(CHAT).addUserMessage("A city, as JSON.").maxCompletionTokens(64)
                .responseFormat(ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema
                        .builder().name("city").strict(true).schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                                .putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty("properties", JsonValue.from(Map.of(
                                        "name", Map.of("type", "string"), "population", Map.of("type", "integer"))))
                                .build()).build()).build())
                .build());
        JsonNode city = json.readTree(structured.choices().get(0).message().content().orElseThrow());
        assertThat(city.get("name").isString()).isTrue();
        assertThat(city.get("population").isIntegralNumber()).isTrue();
        spent = spent.plus(chatCost(structured.usage().orElseThrow()));

        // Embeddings.
        String text = "A quiet harbour at dawn.";
        CreateEmbeddingResponse embeddings = openAi.embeddings().create(EmbeddingCreateParams.builder()
                .model("bge-m3").input(text).build());
        assertThat(embeddings.data().get(0).embedding()).hasSize(1024);
        assertThat(embeddings.usage().promptTokens()).isEqualTo(Tokens.exactText(text, Tokens.EMBEDDING_SPECIAL));
        spent = spent.plus(Pricing.chat(embeddings.usage().promptTokens(), 0, chatPrice("bge-m3")));

        awaitBalance(client, Credits.of(25).minus(spent));
        assertThat(ledger(client, 11)).filteredOn("charge"::equals).hasSize(5);
    }
}
