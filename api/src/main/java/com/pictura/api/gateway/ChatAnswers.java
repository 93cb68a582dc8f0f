package com.pictura.api.gateway;

import com.pictura.api.provider.UpstreamCalls;
import com.pictura.api.provider.Tokens;
import com.pictura.api.provider.UpstreamFailure;
import com.pictura.api.web.ApiException;
import com.pictura.domain.inference.Pricing;
import com.pictura.domain.wallet.Credits;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The client's answer to a non-streamed chat or text completion, from the provider's, charged at the provider's
 * usage (the exact prompt count and the BPE count of every choice, tool calls included, where it reports none).
 * A provider error is passed on as {@link Replays#upstreamError} says, and nothing is charged for it.
 */
final class ChatAnswers {

    private ChatAnswers() {
    }

    static ResponseEntity<byte[]> answer(ChatCall call, PaidCall paid, UpstreamCalls.Served served, Throwable error) {
        ObjectNode body = null;
        UpstreamFailure failure = error != null ? Replays.unwrap(error) : null;
        if (failure == null) {
            try {
                body = JsonBodies.object(served.answer().body());
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
        long output = 0;
        for (JsonNode choice : body.path("choices")) {
            output += Tokens.output(choice);
            if (call.legacyFunctions()) {
                LegacyFunctions.toFunctionCall(choice, "message");
            }
        }
        if (usage != null && usage.has("completion_tokens")) {
            output = usage.get("completion_tokens").asLong();
        }
        Credits charged = paid.charge(input, output, 0, Pricing.chat(input, output, call.price()),
                served.upstream().name());
        body.put("model", call.model().id());
        ObjectNode u = body.putObject("usage");
        u.put("prompt_tokens", input).put("completion_tokens", output).put("total_tokens", input + output);
        u.put("cost", JsonBodies.number(charged));
        byte[] bytes = JsonBodies.JSON.writeValueAsBytes(body);
        paid.answered(200, MediaType.APPLICATION_JSON_VALUE, bytes);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .header(V1Headers.CREDITS_REMAINING, paid.remainingAfter(charged).toString())
                .header(V1Headers.UPSTREAM, served.upstream().name())
                .body(bytes);
    }
}
