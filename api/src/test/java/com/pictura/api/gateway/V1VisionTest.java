package com.pictura.api.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.pictura.api.provider.Tokens;
import com.pictura.domain.inference.Pricing;
import com.pictura.domain.wallet.Credits;
import org.junit.jupiter.api.Test;

/** Image content parts: counted by the tile rule and charged for a vision model, refused for the others. */
class V1VisionTest extends GatewayTestBase {

    private static final String PIXEL = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4"
            + "2mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    private static Map<String, Object> vision(String model) {
        return Map.of("model", model, "max_tokens", 16, "messages", List.of(Map.of("role", "user", "content",
                List.of(Map.of("type", "text", "text", "What is in this picture?"),
                        Map.of("type", "image_url", "image_url", Map.of("url", PIXEL))))));
    }

    @Test
    void aVisionModelTakesImagePartsAndChargesThemByTheTileRule() {
        Client client = client("vision");
        awaitBalance(client, Credits.of(25));

        var answer = http.post("/v1/chat/completions", client.key(), vision("llama-3.2-11b-vision-instruct"));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        long prompt = answer.json().at("/usage/prompt_tokens").asLong();
        long completion = answer.json().at("/usage/completion_tokens").asLong();
        assertThat(prompt).isGreaterThan(4L * Tokens.IMAGE_TILE_TOKENS);
        awaitBalance(client, Credits.of(25).minus(Pricing.chat(prompt, completion,
                chatPrice("llama-3.2-11b-vision-instruct"))));
    }

    @Test
    void aModelWithoutVisionRefusesImagePartsAndHoldsNothing() {
        Client client = client("novision");
        awaitBalance(client, Credits.of(25));

        var refused = http.post("/v1/chat/completions", client.key(), vision("llama-3.1-8b-instruct"));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().at("/error/param").asString()).isEqualTo("messages[0].content[1]");
        assertThat(refused.json().at("/error/message").asString()).contains("does not accept images");
        assertThat(ledger(client, 1)).containsExactly("grant");
    }
}
