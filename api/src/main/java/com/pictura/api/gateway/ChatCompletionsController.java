package com.pictura.api.gateway;

import java.time.Clock;
import java.util.Set;

import com.pictura.api.catalog.Catalog;
import com.pictura.api.catalog.ModelEntry;
import com.pictura.api.provider.ProviderClient;
import com.pictura.api.provider.Tokens;
import com.pictura.api.provider.UpstreamFailure;
import com.pictura.api.web.ApiException;
import com.pictura.domain.inference.Pricing;
import com.pictura.domain.inference.Pricing.ChatPrice;
import com.pictura.domain.wallet.Credits;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/chat/completions}: authenticate (interceptor), validate, rate-limit, admit (hold the worst case),
 * call the provider with no transaction open, answer (or relay the stream). The {@link PaidCall} settles the hold;
 * the response never waits for the settlement to be written.
 */
@RestController
public class ChatCompletionsController {

    static final Set<String> KNOWN = Set.of("model", "messages", "max_tokens", "max_completion_tokens", "temperature",
            "top_p", "n", "stream", "stream_options", "stop", "presence_penalty", "frequency_penalty", "seed", "user",
            "logit_bias", "response_format", "logprobs", "top_logprobs", "metadata", "store");
    private static final Set<String> NOT_FORWARDED = Set.of("metadata", "store", "max_completion_tokens");
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");

    private final Catalog catalog;
    private final ProviderClient providers;
    private final RateLimiter rateLimiter;
    private final PaidCalls paidCalls;
    private final GatewayProperties properties;
    private final Clock clock;

    public ChatCompletionsController(Catalog catalog, ProviderClient providers, RateLimiter rateLimiter,
                                     PaidCalls paidCalls, GatewayProperties properties, Clock clock) {
        this.catalog = catalog;
        this.providers = providers;
        this.rateLimiter = rateLimiter;
        this.paidCalls = paidCalls;
        this.properties = properties;
        this.clock = clock;
    }

    /** A checked request: what to hold, what to send. */
    /**
     * {@code inputTokens} is the prompt estimate (with margin) that is held, limited and checked against the
     * context; {@code countedInputTokens} the prompt's BPE count, charged when the upstream reports no usage.
     */
    record ChatCall(ModelEntry model, ChatPrice price, int inputTokens, int countedInputTokens, int maxTokens,
                    boolean stream, boolean includeUsage, byte[] upstreamBody) {
    }

    @PostMapping("/v1/chat/completions")
    public DeferredResult<ResponseEntity<byte[]>> complete(KeyCaller caller, HttpServletRequest request,
                                                           HttpServletResponse response,
                                                           @RequestHeader(value = Idempotency.HEADER,
                                                                   required = false) String idempotencyKey) {
        byte[] raw = JsonBodies.read(request, properties.maxBodyBytes());
        ChatCall call = validate(JsonBodies.object(raw));
        rateLimiter.admit(caller, (long) call.inputTokens() + call.maxTokens(), response);
        Credits worstCase = Pricing.chatWorstCase(call.inputTokens(), call.maxTokens(), call.price());
        PaidCalls.Admitted admitted = paidCalls.admit(caller, idempotencyKey, request, raw, response, call.model(),
                worstCase, call.inputTokens());
        if (admitted.replay() != null) {
            DeferredResult<ResponseEntity<byte[]>> replay = new DeferredResult<>();
            replay.setResult(admitted.replay());
            return replay;
        }
        PaidCall paid = admitted.call();
        if (call.stream()) {
            ChatStream stream = new ChatStream(request.startAsync(), response, call, paid, clock);
            stream.attach(providers.stream(call.model().provider(), "/chat/completions", call.upstreamBody(), stream));
            return null;
        }
        DeferredResult<ResponseEntity<byte[]>> result = paid.answerLater();
        providers.call(call.model().provider(), "/chat/completions", call.upstreamBody())
                .whenComplete((answer, error) -> {
                    try {
                        result.setResult(answer(call, paid, answer, error));
                    } catch (RuntimeException e) {
                        result.setErrorResult(e);
                    }
                });
        return result;
    }

    /** The client's answer from the provider's, charged at the provider's usage (ours where it reports none). */
    private ResponseEntity<byte[]> answer(ChatCall call, PaidCall paid, ProviderClient.Answer answer, Throwable error) {
        ObjectNode body = null;
        UpstreamFailure failure = error != null ? Replays.unwrap(error)
                : answer.status() / 100 != 2 ? new UpstreamFailure(UpstreamFailure.Kind.ERROR, answer.status(),
                "bad status") : null;
        if (failure == null) {
            try {
                body = JsonBodies.object(answer.body());
            } catch (ApiException e) {
                failure = new UpstreamFailure(UpstreamFailure.Kind.ERROR, 0, "invalid answer");
            }
        }
        if (failure != null) {
            paid.release(failure.reason());
            paid.unanswered();
            throw Replays.upstreamError(failure);
        }
        JsonNode usage = body.get("usage");
        long input = usage != null && usage.has("prompt_tokens")
                ? usage.get("prompt_tokens").asLong() : call.countedInputTokens();
        long output = usage != null && usage.has("completion_tokens")
                ? usage.get("completion_tokens").asLong() : outputTokens(body);
        Credits charged = paid.charge(input, output, 0, Pricing.chat(input, output, call.price()));
        body.put("model", call.model().id());
        ObjectNode u = body.putObject("usage");
        u.put("prompt_tokens", input).put("completion_tokens", output).put("total_tokens", input + output);
        u.put("cost", JsonBodies.number(charged));
        byte[] bytes = JsonBodies.JSON.writeValueAsBytes(body);
        paid.answered(200, MediaType.APPLICATION_JSON_VALUE, bytes);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .header(V1Headers.CREDITS_REMAINING, paid.remainingAfter(charged).toString())
                .body(bytes);
    }

    private static long outputTokens(ObjectNode body) {
        long tokens = 0;
        for (JsonNode choice : body.path("choices")) {
            tokens += Tokens.count(Tokens.text(choice.path("message").get("content")));
        }
        return tokens;
    }

    ChatCall validate(ObjectNode body) {
        Fields.onlyKnown(body, KNOWN);
        String modelId = Fields.requiredString(body, "model", 200);
        ModelEntry model = catalog.require(modelId, ModelEntry.Type.CHAT, clock.instant());
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ApiException.invalid("messages", "'messages' must be a non-empty array of messages.");
        }
        if (messages.size() > 2048) {
            throw ApiException.invalid("messages", "'messages' has more than 2048 messages.");
        }
        for (int i = 0; i < messages.size(); i++) {
            validateMessage(messages.get(i), "messages[" + i + "]");
        }
        Integer n = Fields.optionalInt(body, "n", 1, 1);
        Fields.optionalNumber(body, "temperature", 0, 2);
        Fields.optionalNumber(body, "top_p", 0, 1);
        Fields.optionalNumber(body, "presence_penalty", -2, 2);
        Fields.optionalNumber(body, "frequency_penalty", -2, 2);
        Fields.optionalLong(body, "seed");
        Fields.optionalString(body, "user", 256);
        Fields.optionalBoolean(body, "logprobs", false);
        Fields.optionalInt(body, "top_logprobs", 0, 20);
        JsonNode stop = body.get("stop");
        if (stop != null && !stop.isNull() && !stop.isString()
                && !(stop.isArray() && stop.size() <= 4 && allStrings(stop))) {
            throw ApiException.invalid("stop", "'stop' must be a string or an array of at most 4 strings.");
        }
        JsonNode format = body.get("response_format");
        if (format != null && !format.isNull() && !(format.isObject() && format.path("type").isString())) {
            throw ApiException.invalid("response_format", "'response_format' must be an object with a 'type'.");
        }
        boolean stream = Fields.optionalBoolean(body, "stream", false);
        boolean includeUsage = false;
        JsonNode streamOptions = body.get("stream_options");
        if (streamOptions != null && !streamOptions.isNull()) {
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
            includeUsage = include != null && include.asBoolean();
        }
        int context = model.chat().contextLength();
        int inputTokens = Tokens.prompt(messages);
        if (inputTokens >= context) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_request_error", "context_length_exceeded",
                    "messages", "This model's maximum context length is " + context + " tokens; the messages use "
                    + inputTokens + ".");
        }
        Integer maxTokens = Fields.optionalInt(body, "max_completion_tokens", 1, context);
        if (maxTokens == null) {
            maxTokens = Fields.optionalInt(body, "max_tokens", 1, context);
        }
        if (maxTokens != null && inputTokens + maxTokens > context) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_request_error", "context_length_exceeded",
                    "max_tokens", "This model's maximum context length is " + context + " tokens; the messages use "
                    + inputTokens + " and max_tokens asks for " + maxTokens + ".");
        }
        int max = maxTokens != null ? maxTokens : Math.min(model.chat().defaultMaxTokens(), context - inputTokens);

        ObjectNode upstream = body.deepCopy();
        NOT_FORWARDED.forEach(upstream::remove);
        upstream.put("model", model.upstreamModel());
        upstream.put("max_tokens", max);
        if (stream) {
            // Always ask for usage upstream: it is what the charge is computed from.
            upstream.putObject("stream_options").put("include_usage", true);
        }
        ChatPrice price = model.priceAt(clock.instant()).chat();
        return new ChatCall(model, price, inputTokens, Tokens.exactPrompt(messages), max, stream, includeUsage,
                JsonBodies.JSON.writeValueAsBytes(upstream));
    }

    private static void validateMessage(JsonNode message, String param) {
        if (!message.isObject()) {
            throw ApiException.invalid(param, "Each message must be an object with 'role' and 'content'.");
        }
        JsonNode role = message.get("role");
        if (role == null || !role.isString() || !ROLES.contains(role.asString())) {
            throw ApiException.invalid(param + ".role", "'role' must be one of " + ROLES + ".");
        }
        JsonNode content = message.get("content");
        if (content == null || content.isNull()) {
            if (!"assistant".equals(role.asString())) {
                throw ApiException.invalid(param + ".content", "'content' is required.");
            }
        } else if (content.isArray()) {
            for (JsonNode part : content) {
                if (!part.isObject() || !"text".equals(part.path("type").asString(""))
                        || !part.path("text").isString()) {
                    throw ApiException.invalid(param + ".content",
                            "Only text content parts ({\"type\":\"text\",\"text\":\"...\"}) are supported by this model.");
                }
            }
        } else if (!content.isString()) {
            throw ApiException.invalid(param + ".content", "'content' must be a string or an array of text parts.");
        }
        JsonNode name = message.get("name");
        if (name != null && !name.isNull() && (!name.isString() || name.asString().length() > 64)) {
            throw ApiException.invalid(param + ".name", "'name' must be a string of at most 64 characters.");
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
}
