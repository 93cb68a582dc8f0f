package com.pictura.api.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.openai.client.OpenAIClient;
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
}
