package com.pictura.api.gateway;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.pictura.api.catalog.Catalog;
import com.pictura.api.catalog.ModelEntry;
import com.pictura.api.provider.Tokens;
import com.pictura.api.web.ApiException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks a {@code /v1/completions} body: a prompt or a batch of up to {@link #MAX_PROMPTS} prompts, each answered
 * {@code n} times and held for every answer ({@code max_tokens} defaults to {@link #DEFAULT_MAX_TOKENS}, as at
 * OpenAI). {@code echo}, {@code suffix} and a {@code best_of} other than {@code n} are refused: Llama and Qwen
 * servers do not serve them. Unknown fields are dropped as for chat.
 */
@Component
class CompletionRequests {

    /** OpenAI's default for legacy completions. */
    static final int DEFAULT_MAX_TOKENS = 16;
    static final int MAX_PROMPTS = 64;
    private static final Set<String> KNOWN = Set.of("model", "prompt", "max_tokens", "temperature", "top_p", "n",
            "stream", "stream_options", "stop", "presence_penalty", "frequency_penalty", "seed", "user", "logit_bias",
            "logprobs", "echo", "suffix", "best_of");

    private final Catalog catalog;
    private final Clock clock;

    CompletionRequests(Catalog catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    ChatCall validate(ObjectNode body) {
        List<String> ignored = Fields.unknown(body, KNOWN, ChatRequests.EXTENSIONS);
        ModelEntry model = catalog.require(Fields.requiredString(body, "model", 200), ModelEntry.Type.CHAT,
                clock.instant());
        List<String> prompts = prompts(body.get("prompt"));
        int n = orOne(Fields.optionalInt(body, "n", 1, ChatRequests.MAX_N));
        Integer bestOf = Fields.optionalInt(body, "best_of", 1, ChatRequests.MAX_N);
        if (bestOf != null && bestOf != n) {
            throw ApiException.invalid("best_of", "'best_of' other than 'n' is not served by this model's servers.");
        }
        if (Fields.optionalBoolean(body, "echo", false)) {
            throw ApiException.invalid("echo", "'echo' is not supported; the prompt is yours already.");
        }
        if (Fields.optionalString(body, "suffix", 100_000) != null) {
            throw ApiException.invalid("suffix", "'suffix' (fill-in-the-middle) is not supported by this model.");
        }
        Fields.optionalNumber(body, "temperature", 0, 2);
        Fields.optionalNumber(body, "top_p", 0, 1);
        Fields.optionalNumber(body, "presence_penalty", -2, 2);
        Fields.optionalNumber(body, "frequency_penalty", -2, 2);
        Fields.optionalInt(body, "top_k", -1, 1000);
        Fields.optionalNumber(body, "min_p", 0, 1);
        Fields.optionalNumber(body, "repetition_penalty", 0.01, 10);
        Fields.optionalLong(body, "seed");
        Fields.optionalString(body, "user", 256);
        Fields.optionalInt(body, "logprobs", 0, 5);
        ChatRequests.stop(body.get("stop"));
        boolean stream = Fields.optionalBoolean(body, "stream", false);
        boolean includeUsage = ChatRequests.StreamOptions.includeUsage(body, stream);

        int estimate = 0;
        int exact = 0;
        int longest = 0;
        for (String prompt : prompts) {
            int one = Tokens.textEstimate(prompt, Tokens.COMPLETION_SPECIAL);
            estimate += one;
            exact += Tokens.exactText(prompt, Tokens.COMPLETION_SPECIAL);
            longest = Math.max(longest, one);
        }
        if (body.get("max_tokens") == null || body.get("max_tokens").isNull()) {
            body.put("max_tokens", Math.min(DEFAULT_MAX_TOKENS, Math.max(1, model.chat().contextLength() - longest)));
        }
        // each prompt is its own sequence: the longest must fit the context with its answer
        int maxTokens = ChatRequests.MaxTokens.of(body, model, longest);
        ObjectNode upstream = body.deepCopy();
        ignored.forEach(upstream::remove);
        upstream.put("model", model.upstreamModel());
        upstream.put("max_tokens", maxTokens);
        if (stream) {
            upstream.putObject("stream_options").put("include_usage", true);
        }
        return new ChatCall(model, model.priceAt(clock.instant()).chat(), estimate, exact, maxTokens,
                n * prompts.size(), stream, includeUsage, false, "/completions", "text_completion",
                List.copyOf(ignored), JsonBodies.JSON.writeValueAsBytes(upstream));
    }

    private static List<String> prompts(JsonNode prompt) {
        if (prompt != null && prompt.isString()) {
            return List.of(prompt.asString());
        }
        if (prompt == null || !prompt.isArray() || prompt.isEmpty() || prompt.size() > MAX_PROMPTS) {
            throw ApiException.invalid("prompt", "'prompt' must be a string or an array of 1 to " + MAX_PROMPTS
                    + " strings (token ids are model-specific and not accepted).");
        }
        List<String> prompts = new ArrayList<>();
        for (JsonNode p : prompt) {
            if (!p.isString()) {
                throw ApiException.invalid("prompt", "'prompt' must be a string or an array of strings.");
            }
            prompts.add(p.asString());
        }
        return prompts;
    }

    private static int orOne(Integer n) {
        return n == null ? 1 : n;
    }
}
