package com.pictura.api.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import com.pictura.domain.inference.Pricing;
import com.pictura.domain.wallet.Credits;
import org.junit.jupiter.api.Test;

/**
 * What DeepInfra answers besides chat, through the vendor profile: embeddings charged by the vendor's own token
 * count, images through its OpenAI images API charged per image delivered, and its FastAPI error shape
 * ({@code {"detail":{"error":…}}}) read so that a refusal the client caused reaches the client with the vendor's
 * words, nothing charged.
 */
class V1VendorAnswersTest extends VendorTestBase {

    @Test
    void embeddingsAreServedByDeepInfraAndChargedByItsOwnCount() {
        Client client = client("vendor-embeddings");

        var answer = http.post("/v1/embeddings", client.key(), Map.of("model", "bge-m3",
                "input", List.of("A quiet harbour at dawn.", "Boats asleep on the water.")));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.header("x-pictura-upstream")).isEqualTo("deepinfra");
        assertThat(answer.json().get("data").size()).isEqualTo(2);
        assertThat(answer.json().at("/data/0/embedding").size()).isEqualTo(1024);
        long tokens = 2L * FakeVendor.EMBEDDING_TOKENS_PER_INPUT;
        assertThat(answer.json().at("/usage/prompt_tokens").asLong()).isEqualTo(tokens);
        awaitBalance(client, Credits.of(25).minus(Pricing.chat(tokens, 0, chatPrice("bge-m3"))));
    }

    @Test
    void imagesAreServedByDeepInfraAndChargedPerImageDelivered() throws Exception {
        Client client = client("vendor-images");

        var answer = http.post("/v1/images/generations", client.key(), Map.of("model", "flux-schnell",
                "prompt", "a lighthouse in fog", "size", "256x256", "n", 2, "response_format", "b64_json"));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.header("x-pictura-upstream")).isEqualTo("deepinfra");
        for (int i = 0; i < 2; i++) {
            byte[] png = Base64.getDecoder().decode(answer.json().at("/data/" + i + "/b64_json").asString());
            assertThat(ImageIO.read(new ByteArrayInputStream(png)).getWidth()).isEqualTo(256);
        }
        // flux-schnell at 256x256 costs 0.08 an image in the catalog (gateway.yml).
        assertThat(answer.json().at("/usage/cost").decimalValue().toPlainString()).isEqualTo("0.16");
        awaitBalance(client, Credits.parse("24.84"));
    }

    @Test
    void aRefusalInDeepInfrasShapeReachesTheClientWithItsMessageAndNothingIsCharged() {
        Client client = client("vendor-refusal");
        DEEPINFRA.refuseNext.set("This model's maximum context length is 8192 tokens; you requested 9000 tokens.");

        var refused = http.post("/v1/embeddings", client.key(), Map.of("model", "bge-m3", "input", "a long text"));

        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.json().at("/error/code").asString()).isEqualTo("context_length_exceeded");
        assertThat(refused.json().at("/error/message").asString())
                .contains("maximum context length is 8192 tokens; you requested 9000 tokens");
        awaitBalance(client, Credits.of(25));
        assertThat(ledger(client, 3)).containsExactly("grant", "reservation", "release");
    }
}
