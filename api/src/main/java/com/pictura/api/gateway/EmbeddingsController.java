package com.pictura.api.gateway;

import com.pictura.api.provider.UpstreamCalls;
import com.pictura.api.provider.UpstreamFailure;
import com.pictura.api.web.ApiException;
import com.pictura.domain.inference.Pricing;
import com.pictura.domain.wallet.Credits;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/embeddings}: check ({@link EmbeddingRequests}), rate-limit, hold the estimated input tokens,
 * call, charge the provider's count (ours where it reports none) at the model's per-token price, never more than
 * the hold. An answer without vectors is a failure: released, nothing charged.
 */
@RestController
class EmbeddingsController {

    private final EmbeddingRequests requests;
    private final UpstreamCalls upstreams;
    private final RateLimiter rateLimiter;
    private final PaidCalls paidCalls;
    private final GatewayProperties properties;

    EmbeddingsController(EmbeddingRequests requests, UpstreamCalls upstreams, RateLimiter rateLimiter,
                         PaidCalls paidCalls, GatewayProperties properties) {
        this.requests = requests;
        this.upstreams = upstreams;
        this.rateLimiter = rateLimiter;
        this.paidCalls = paidCalls;
        this.properties = properties;
    }

    @PostMapping("/v1/embeddings")
    DeferredResult<ResponseEntity<byte[]>> embed(KeyCaller caller, HttpServletRequest request,
                                                 HttpServletResponse response,
                                                 @RequestHeader(value = Idempotency.HEADER, required = false)
                                                 String idempotencyKey) {
        byte[] raw = JsonBodies.read(request, properties.maxBodyBytes());
        EmbeddingRequests.EmbeddingCall call = requests.validate(JsonBodies.object(raw));
        rateLimiter.admit(caller, call.inputTokens(), response);
        PaidCalls.Admitted admitted = paidCalls.admit(caller, idempotencyKey, request, raw, response, call.model(),
                call.worstCase(), -1);
        if (!call.ignoredFields().isEmpty()) {
            response.setHeader(ChatRelay.IGNORED_FIELDS, String.join(", ", call.ignoredFields()));
        }
        DeferredResult<ResponseEntity<byte[]>> result = new DeferredResult<>();
        if (admitted.replay() != null) {
            result.setResult(admitted.replay());
            return result;
        }
        PaidCall paid = admitted.call();
        DeferredResult<ResponseEntity<byte[]>> later = paid.answerLater();
        upstreams.call(call.model(), "/embeddings", call.upstreamBody()).whenComplete((served, error) -> {
            try {
                later.setResult(answer(call, paid, served, error));
            } catch (RuntimeException e) {
                later.setErrorResult(e);
            }
        });
        return later;
    }

    private static ResponseEntity<byte[]> answer(EmbeddingRequests.EmbeddingCall call, PaidCall paid,
                                                 UpstreamCalls.Served served, Throwable error) {
        UpstreamFailure failure = error != null ? Replays.unwrap(error) : null;
        ObjectNode body = null;
        if (failure == null) {
            try {
                body = JsonBodies.object(served.answer().body());
            } catch (ApiException e) {
                failure = new UpstreamFailure(UpstreamFailure.Kind.ERROR, 0, "invalid answer");
            }
        }
        if (failure == null && body.path("data").size() != call.inputs()) {
            failure = new UpstreamFailure(UpstreamFailure.Kind.ERROR, 0, "answer without every vector");
        }
        if (failure != null) {
            paid.release(failure.reason());
            paid.unanswered();
            throw Replays.upstreamError(failure);
        }
        JsonNode usage = body.get("usage");
        long tokens = usage != null && usage.has("prompt_tokens") ? usage.get("prompt_tokens").asLong()
                : call.countedInputTokens();
        Credits charged = paid.charge(tokens, 0, 0, Pricing.chat(tokens, 0, call.price()), served.upstream().name());
        body.put("model", call.model().id());
        body.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens)
                .put("cost", JsonBodies.number(charged));
        byte[] bytes = JsonBodies.JSON.writeValueAsBytes(body);
        paid.answered(200, MediaType.APPLICATION_JSON_VALUE, bytes);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .header(V1Headers.CREDITS_REMAINING, paid.remainingAfter(charged).toString())
                .header(V1Headers.UPSTREAM, served.upstream().name()).body(bytes);
    }
}
