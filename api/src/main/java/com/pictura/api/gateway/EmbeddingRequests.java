package com.pictura.api.gateway;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.pictura.api.catalog.Catalog;
import com.pictura.api.catalog.ModelEntry;
import com.pictura.api.provider.Tokens;
import com.pictura.api.web.ApiException;
import com.pictura.domain.inference.Pricing;
import com.pictura.domain.inference.Pricing.ChatPrice;
import com.pictura.domain.wallet.Credits;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks a {@code /v1/embeddings} body: {@code input} as a string, an array of strings, or token ids (an array
 * of integers, or an array of such arrays), each within the model's input limit; {@code encoding_format}
 * ({@code float}, {@code base64}) and {@code dimensions} (at most the model's) are forwarded. Unknown fields are
 * dropped as for chat.
 */
@Component
class EmbeddingRequests {

    private static final Set<String> KNOWN = Set.of("model", "input", "encoding_format", "dimensions", "user");

    private final Catalog catalog;
    private final Clock clock;

    EmbeddingRequests(Catalog catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    /**
     * @param inputTokens        the held estimate (with margin)
     * @param countedInputTokens the exact count, charged when the upstream reports no usage
     */
    record EmbeddingCall(ModelEntry model, ChatPrice price, int inputs, int inputTokens, int countedInputTokens,
                         List<String> ignoredFields, byte[] upstreamBody) {

        Credits worstCase() {
            return Pricing.chat(inputTokens, 0, price);
        }
    }

    EmbeddingCall validate(ObjectNode body) {
        List<String> ignored = Fields.unknown(body, KNOWN);
        ModelEntry model = catalog.require(Fields.requiredString(body, "model", 200), ModelEntry.Type.EMBEDDING,
                clock.instant());
        ModelEntry.EmbeddingSpec spec = model.embedding();
        String format = Fields.optionalString(body, "encoding_format", 16);
        if (format != null && !format.equals("float") && !format.equals("base64")) {
            throw ApiException.invalid("encoding_format", "'encoding_format' must be float or base64.");
        }
        Fields.optionalInt(body, "dimensions", 1, spec.dimensions());
        Fields.optionalString(body, "user", 256);
        List<JsonNode> inputs = inputs(body.get("input"), spec.maxInputs());
        int estimate = 0;
        int exact = 0;
        for (int i = 0; i < inputs.size(); i++) {
            JsonNode input = inputs.get(i);
            int one = input.isString() ? Tokens.textEstimate(input.asString(), Tokens.EMBEDDING_SPECIAL) : input.size();
            if (one > spec.maxInputTokens()) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_request_error", "context_length_exceeded",
                        "input", "input[" + i + "] has about " + one + " tokens; this model takes at most "
                        + spec.maxInputTokens() + " per input.");
            }
            estimate += one;
            exact += input.isString() ? Tokens.exactText(input.asString(), Tokens.EMBEDDING_SPECIAL) : input.size();
        }
        ObjectNode upstream = body.deepCopy();
        ignored.forEach(upstream::remove);
        upstream.put("model", model.upstreamModel());
        return new EmbeddingCall(model, model.priceAt(clock.instant()).chat(), inputs.size(), estimate, exact,
                List.copyOf(ignored), JsonBodies.JSON.writeValueAsBytes(upstream));
    }

    /** The inputs: strings, or token-id arrays; never empty. */
    private static List<JsonNode> inputs(JsonNode input, int max) {
        List<JsonNode> inputs = new ArrayList<>();
        if (input != null && (input.isString() || isTokenIds(input))) {
            inputs.add(input);
        } else if (input != null && input.isArray() && !input.isEmpty()) {
            input.forEach(inputs::add);
        }
        boolean ok = !inputs.isEmpty() && inputs.size() <= max;
        for (JsonNode one : inputs) {
            ok &= one.isString() ? !one.asString().isEmpty() : isTokenIds(one);
        }
        if (!ok) {
            throw ApiException.invalid("input", "'input' must be a non-empty string, an array of 1 to " + max
                    + " non-empty strings, or token ids.");
        }
        return inputs;
    }

    private static boolean isTokenIds(JsonNode node) {
        if (!node.isArray() || node.isEmpty()) {
            return false;
        }
        for (JsonNode id : node) {
            if (!id.isIntegralNumber() || id.asLong() < 0) {
                return false;
            }
        }
        return true;
    }
}
