package com.pictura.api.gateway;

import java.time.Clock;
import java.util.List;
import java.util.Set;

import com.pictura.api.catalog.Catalog;
import com.pictura.api.catalog.ModelEntry;
import com.pictura.api.provider.Tokens;
import com.pictura.api.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks a {@code /v1/chat/completions} body and turns it into a {@link ChatCall}: every field OpenAI defines and
 * Llama and Qwen servers implement is checked and forwarded; {@link #EXTENSIONS} (sampling options vLLM and the
 * vendors accept) are forwarded; anything else is dropped, named in {@code x-pictura-ignored-fields}, never a
 * 400: SDKs add fields faster than gateways learn them.
 */
@Component
class ChatRequests {

    static final int MAX_N = 16;
    private static final Set<String> KNOWN = Set.of("model", "messages", "max_tokens", "max_completion_tokens",
            "temperature", "top_p", "n", "stream", "stream_options", "stop", "presence_penalty", "frequency_penalty",
            "seed", "user", "logit_bias", "response_format", "logprobs", "top_logprobs", "metadata", "store",
            "tools", "tool_choice", "parallel_tool_calls", "functions", "function_call");
    /** Known, checked, and kept to ourselves: the upstream has no use for them. */
    private static final Set<String> NOT_FORWARDED = Set.of("metadata", "store", "max_completion_tokens");
    static final Set<String> EXTENSIONS = Set.of("top_k", "min_p", "repetition_penalty");
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");
    private static final Set<String> FORMATS = Set.of("text", "json_object", "json_schema");

    private final Catalog catalog;
    private final Clock clock;
    private final int maxTextBodyBytes;

    ChatRequests(Catalog catalog, Clock clock, GatewayProperties properties) {
        this.catalog = catalog;
        this.clock = clock;
        this.maxTextBodyBytes = properties.maxBodyBytes();
    }

    /** @param bodyBytes the raw body's size: only a request with images may exceed the text limit */
    ChatCall validate(ObjectNode body, int bodyBytes) {
        List<String> ignored = Fields.unknown(body, KNOWN, EXTENSIONS);
        String modelId = Fields.requiredString(body, "model", 200);
        ModelEntry model = catalog.require(modelId, ModelEntry.Type.CHAT, clock.instant());
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ApiException.invalid("messages", "'messages' must be a non-empty array of messages.");
        }
        if (messages.size() > 2048) {
            throw ApiException.invalid("messages", "'messages' has more than 2048 messages.");
        }
        int images = 0;
        for (int i = 0; i < messages.size(); i++) {
            images += validateMessage(messages.get(i), "messages[" + i + "]", model);
        }
        if (images > ImageParts.MAX_IMAGES) {
            throw ApiException.invalid("messages", "At most " + ImageParts.MAX_IMAGES + " images per request.");
        }
        if (images == 0 && bodyBytes > maxTextBodyBytes) {
            // Only images make a chat body this large; the larger limit is theirs.
            throw new ApiException(org.springframework.http.HttpStatus.CONTENT_TOO_LARGE, "invalid_request_error",
                    "request_too_large", null, "A request without images may have at most " + maxTextBodyBytes
                    + " bytes.");
        }
        ToolFields.check(body);
        int n = orOne(Fields.optionalInt(body, "n", 1, MAX_N));
        Fields.optionalNumber(body, "temperature", 0, 2);
        Fields.optionalNumber(body, "top_p", 0, 1);
        Fields.optionalNumber(body, "presence_penalty", -2, 2);
        Fields.optionalNumber(body, "frequency_penalty", -2, 2);
        Fields.optionalInt(body, "top_k", -1, 1000);
        Fields.optionalNumber(body, "min_p", 0, 1);
        Fields.optionalNumber(body, "repetition_penalty", 0.01, 10);
        Fields.optionalLong(body, "seed");
        Fields.optionalString(body, "user", 256);
        Fields.optionalBoolean(body, "store", false);
        boolean logprobs = Fields.optionalBoolean(body, "logprobs", false);
        if (Fields.optionalInt(body, "top_logprobs", 0, 20) != null && !logprobs) {
            throw ApiException.invalid("top_logprobs", "'top_logprobs' needs 'logprobs': true.");
        }
        stop(body.get("stop"));
        responseFormat(body.get("response_format"));
        metadata(body.get("metadata"));
        logitBias(body.get("logit_bias"));
        boolean stream = Fields.optionalBoolean(body, "stream", false);
        boolean includeUsage = StreamOptions.includeUsage(body, stream);

        boolean legacy = ToolFields.present(body.get("functions")) || ToolFields.present(body.get("function_call"));
        ObjectNode upstream = body.deepCopy();
        NOT_FORWARDED.forEach(upstream::remove);
        ignored.forEach(upstream::remove);
        LegacyFunctions.toTools(upstream);
        int context = model.chat().contextLength();
        // Counted on what the upstream will read: tool schemas and calls included, legacy functions as tools.
        int inputTokens = Tokens.prompt(upstream.get("messages"), upstream.get("tools"));
        int maxTokens = MaxTokens.of(body, model, inputTokens);
        upstream.put("model", model.upstreamModel());
        upstream.put("max_tokens", maxTokens);
        if (stream) {
            // Always ask for usage upstream: it is what the charge is computed from.
            upstream.putObject("stream_options").put("include_usage", true);
        }
        return new ChatCall(model, model.priceAt(clock.instant()).chat(), inputTokens,
                Tokens.exactPrompt(upstream.get("messages"), upstream.get("tools")), maxTokens, n, stream,
                includeUsage, legacy, "/chat/completions", "chat.completion.chunk", List.copyOf(ignored),
                JsonBodies.JSON.writeValueAsBytes(upstream));
    }

    /** @return the message's image parts */
    private static int validateMessage(JsonNode message, String param, ModelEntry model) {
        if (!message.isObject()) {
            throw ApiException.invalid(param, "Each message must be an object with 'role' and 'content'.");
        }
        JsonNode role = message.get("role");
        if (role == null || !role.isString() || !ROLES.contains(role.asString())) {
            throw ApiException.invalid(param + ".role", "'role' must be one of " + ROLES + ".");
        }
        JsonNode content = message.get("content");
        int images = 0;
        if (content == null || content.isNull()) {
            if (!"assistant".equals(role.asString())) {
                throw ApiException.invalid(param + ".content", "'content' is required.");
            }
        } else if (content.isArray()) {
            for (int j = 0; j < content.size(); j++) {
                JsonNode part = content.get(j);
                if (!part.isObject()) {
                    throw ApiException.invalid(param + ".content[" + j + "]", "A content part must be an object.");
                }
                if ("text".equals(part.path("type").asString(""))) {
                    if (!part.path("text").isString()) {
                        throw ApiException.invalid(param + ".content[" + j + "].text", "'text' must be a string.");
                    }
                } else {
                    images += ImageParts.check(part, role.asString(), model, param + ".content[" + j + "]");
                }
            }
        } else if (!content.isString()) {
            throw ApiException.invalid(param + ".content", "'content' must be a string or an array of parts.");
        }
        JsonNode name = message.get("name");
        if (name != null && !name.isNull() && (!name.isString() || name.asString().length() > 64)) {
            throw ApiException.invalid(param + ".name", "'name' must be a string of at most 64 characters.");
        }
        ToolFields.checkMessage(message, role.asString(), param);
        return images;
    }

    static void stop(JsonNode stop) {
        if (stop != null && !stop.isNull() && !stop.isString()
                && !(stop.isArray() && stop.size() <= 4 && allStrings(stop))) {
            throw ApiException.invalid("stop", "'stop' must be a string or an array of at most 4 strings.");
        }
    }

    private static void responseFormat(JsonNode format) {
        if (format == null || format.isNull()) {
            return;
        }
        if (!format.isObject() || !FORMATS.contains(format.path("type").asString(""))) {
            throw ApiException.invalid("response_format", "'response_format' must be {\"type\": one of " + FORMATS + "}.");
        }
        if ("json_schema".equals(format.get("type").asString())) {
            JsonNode schema = format.get("json_schema");
            if (schema == null || !schema.isObject() || !schema.path("name").isString()
                    || !schema.get("name").asString().matches("[A-Za-z0-9_-]{1,64}")) {
                throw ApiException.invalid("response_format.json_schema",
                        "'json_schema' needs a 'name' of 1 to 64 letters, digits, '_' or '-'.");
            }
            if (ToolFields.present(schema.get("schema")) && !schema.get("schema").isObject()) {
                throw ApiException.invalid("response_format.json_schema.schema", "'schema' must be a JSON Schema object.");
            }
            if (ToolFields.present(schema.get("strict")) && !schema.get("strict").isBoolean()) {
                throw ApiException.invalid("response_format.json_schema.strict", "'strict' must be true or false.");
            }
        }
    }

    /** OpenAI's limits: at most 16 pairs, keys up to 64 characters, string values up to 512. */
    private static void metadata(JsonNode metadata) {
        if (metadata == null || metadata.isNull()) {
            return;
        }
        boolean ok = metadata.isObject() && metadata.size() <= 16;
        if (ok) {
            for (var entry : metadata.properties()) {
                ok &= entry.getKey().length() <= 64 && entry.getValue().isString()
                        && entry.getValue().asString().length() <= 512;
            }
        }
        if (!ok) {
            throw ApiException.invalid("metadata",
                    "'metadata' is an object of at most 16 string values (keys up to 64, values up to 512 characters).");
        }
    }

    private static void logitBias(JsonNode bias) {
        if (bias == null || bias.isNull()) {
            return;
        }
        boolean ok = bias.isObject() && bias.size() <= 300;
        if (ok) {
            for (var entry : bias.properties()) {
                ok &= entry.getKey().matches("\\d{1,7}") && entry.getValue().isNumber()
                        && Math.abs(entry.getValue().asDouble()) <= 100;
            }
        }
        if (!ok) {
            throw ApiException.invalid("logit_bias", "'logit_bias' maps token ids to numbers from -100 to 100.");
        }
    }

    private static boolean allStrings(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isString()) {
                return false;
            }
        }
        return true;
    }

    private static int orOne(Integer n) {
        return n == null ? 1 : n;
    }

    /** The context check and the answer's token budget, shared with text completions. */
    static final class MaxTokens {
        private MaxTokens() {
        }

        static int of(ObjectNode body, ModelEntry model, int inputTokens) {
            int context = model.chat().contextLength();
            if (inputTokens >= context) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_request_error", "context_length_exceeded",
                        "messages", "This model's maximum context length is " + context + " tokens; the prompt uses "
                        + inputTokens + ".");
            }
            Integer maxTokens = Fields.optionalInt(body, "max_completion_tokens", 1, context);
            if (maxTokens == null) {
                maxTokens = Fields.optionalInt(body, "max_tokens", 1, context);
            }
            if (maxTokens != null && inputTokens + maxTokens > context) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_request_error", "context_length_exceeded",
                        "max_tokens", "This model's maximum context length is " + context + " tokens; the prompt uses "
                        + inputTokens + " and max_tokens asks for " + maxTokens + ".");
            }
            return maxTokens != null ? maxTokens : Math.min(model.chat().defaultMaxTokens(), context - inputTokens);
        }
    }

    /** {@code stream_options}: only with {@code stream}; {@code include_usage} adds the final usage chunk. */
    static final class StreamOptions {
        private StreamOptions() {
        }

        static boolean includeUsage(ObjectNode body, boolean stream) {
            JsonNode streamOptions = body.get("stream_options");
            if (streamOptions == null || streamOptions.isNull()) {
                return false;
            }
            if (!stream) {
                throw ApiException.invalid("stream_options", "'stream_options' is only allowed when 'stream' is true.");
            }
            if (!streamOptions.isObject()) {
                throw ApiException.invalid("stream_options", "'stream_options' must be an object.");
            }
            JsonNode include = streamOptions.get("include_usage");
            if (include != null && !include.isBoolean()) {
                throw ApiException.invalid("stream_options.include_usage", "'include_usage' must be true or false.");
            }
            return include != null && include.asBoolean();
        }
    }
}
