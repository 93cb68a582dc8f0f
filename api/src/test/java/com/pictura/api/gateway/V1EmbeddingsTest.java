package com.pictura.api.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.pictura.api.provider.Tokens;
import com.pictura.domain.inference.Pricing;
import com.pictura.domain.wallet.Credits;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Embeddings: per-token priced, charged the inputs' tokens exactly, refused inputs hold nothing. */
class V1EmbeddingsTest extends GatewayTestBase {

    static final String MODEL = "bge-m3";

    private Credits cost(long tokens) {
        return Pricing.chat(tokens, 0, chatPrice(MODEL));
    }

    @Test
    void inputsAreEmbeddedAndChargedTheirTokens() {
        Client client = client("embeddings");
        List<String> inputs = List.of("A quiet harbour at dawn.", "伦敦的雨 and 2026 numbers 1234567");
        var response = http.post("/v1/embeddings", client.key(), Map.of("model", MODEL, "input", inputs));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("model").asString()).isEqualTo(MODEL);
        assertThat(body.get("data")).hasSize(2);
        JsonNode vector = body.get("data").get(1).get("embedding");
        assertThat(vector).hasSize(1024);
        double norm = 0;
        for (JsonNode v : vector) {
            norm += v.asDouble() * v.asDouble();
        }
        assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
        long tokens = 0;
        for (String input : inputs) {
            tokens += Tokens.exactText(input, Tokens.EMBEDDING_SPECIAL);
        }
        assertThat(body.get("usage").get("prompt_tokens").asLong()).isEqualTo(tokens);
        assertThat(body.get("usage").get("cost").decimalValue())
                .isEqualByComparingTo(new BigDecimal(cost(tokens).toString()));

        // Without upstream usage the gateway counts the same, and base64 vectors are 4 bytes a dimension.
        var counted = http.post("/v1/embeddings", client.key(), Map.of("model", MODEL,
                "input", "A quiet harbour. #sim:nousage", "encoding_format", "base64"));
        assertThat(counted.status()).as(counted.body()).isEqualTo(200);
        long own = Tokens.exactText("A quiet harbour. #sim:nousage", Tokens.EMBEDDING_SPECIAL);
        assertThat(counted.json().get("usage").get("prompt_tokens").asLong()).isEqualTo(own);
        assertThat(Base64.getDecoder().decode(counted.json().get("data").get(0).get("embedding").asString()))
                .hasSize(4 * 1024);

        awaitBalance(client, Credits.of(25).minus(cost(tokens)).minus(cost(own)));
        assertThat(ledger(client, 5)).containsExactlyInAnyOrder("grant", "reservation", "charge", "reservation",
                "charge");
    }

    @Test
    void badInputsAre400AndHoldNothing() {
        Client client = client("embeddings-bad");
        long calls = simulator.calls();
        Map<String, Map<String, Object>> cases = Map.of(
                "input", Map.of("model", MODEL, "input", List.of()),
                "model", Map.of("model", "llama-3.1-8b-instruct", "input", "x"),
                "encoding_format", Map.of("model", MODEL, "input", "x", "encoding_format", "int8"),
                "dimensions", Map.of("model", MODEL, "input", "x", "dimensions", 4096));
        cases.forEach((param, request) -> {
            var refused = http.post("/v1/embeddings", client.key(), request);
            assertThat(refused.status()).as(param + ": " + refused.body()).isEqualTo(400);
            assertThat(refused.json().get("error").get("param").asString()).isEqualTo(param);
        });
        var tooLong = http.post("/v1/embeddings", client.key(), Map.of("model", MODEL, "input", "word ".repeat(9000)));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().get("error").get("code").asString()).isEqualTo("context_length_exceeded");
        assertThat(simulator.calls()).isEqualTo(calls);
        assertThat(ledger(client, 1)).containsExactly("grant");
    }

    @Test
    void theCatalogListsTheEmbeddingModelWithItsPrice() {
        Client client = client("embeddings-models");
        var model = http.get("/v1/models/" + MODEL, client.key());
        assertThat(model.status()).isEqualTo(200);
        assertThat(model.json().get("type").asString()).isEqualTo("embedding");
        assertThat(model.json().get("dimensions").asInt()).isEqualTo(1024);
        assertThat(model.json().get("pricing").get("input_per_million_tokens").decimalValue())
                .isEqualByComparingTo("1");
        assertThat(model.json().get("pricing").has("output_per_million_tokens")).isFalse();
    }
}
