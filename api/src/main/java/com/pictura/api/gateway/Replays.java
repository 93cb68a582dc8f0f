package com.pictura.api.gateway;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;

import com.pictura.api.provider.UpstreamFailure;
import com.pictura.api.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** Small shared pieces of the /v1 controllers: idempotent replays and upstream errors. */
final class Replays {

    private Replays() {
    }

    static ResponseEntity<byte[]> of(Idempotency.Stored stored) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(stored.status()).header("Idempotent-Replayed", "true");
        if (stored.body() != null) {
            return builder.contentType(MediaType.parseMediaType(stored.contentType())).body(stored.body());
        }
        // A stream cannot be replayed: the first request received it. Its status says it succeeded.
        return builder.contentType(MediaType.TEXT_EVENT_STREAM)
                .body((": replay of an idempotent streamed request; the stream went to the first request\n\n"
                        + "data: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
    }

    static UpstreamFailure unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof UpstreamFailure failure) {
            return failure;
        }
        return new UpstreamFailure(UpstreamFailure.Kind.ERROR, 0, cause.getClass().getSimpleName());
    }

    /**
     * The client's answer to a provider call that produced nothing (nothing is charged for it). A refusal the
     * client caused (400, 404 for a bad parameter, 413, 422: a malformed tool schema, a context too long) keeps
     * its status and the provider's message; a provider's 429 stays a 429 with {@code Retry-After}; only real
     * failures (5xx, broken connections, a provider that refuses our own key) are 502, and timeouts 504.
     */
    static ApiException upstreamError(UpstreamFailure failure) {
        if (failure.kind() == UpstreamFailure.Kind.TIMEOUT) {
            return new ApiException(HttpStatus.GATEWAY_TIMEOUT, "server_error", "upstream_timeout", null,
                    "The model provider did not answer in time. Nothing was charged; please retry.");
        }
        UpstreamFailure.Detail detail = failure.detail();
        String said = detail.message() != null ? ": " + detail.message() : ".";
        if (failure.status() == 429) {
            long retryAfter = detail.retryAfterSeconds() != null ? detail.retryAfterSeconds() : 1;
            return new ApiException(HttpStatus.TOO_MANY_REQUESTS, "rate_limit_error", "upstream_rate_limited", null,
                    "The model provider is rate-limiting requests; retry after " + retryAfter + " s. Nothing was "
                            + "charged. The provider said" + said).withRetryAfter(retryAfter);
        }
        if (failure.clientsFault()) {
            String code = detail.code() != null ? detail.code()
                    : detail.message() != null && detail.message().toLowerCase().contains("context length")
                    ? "context_length_exceeded" : "invalid_request";
            return new ApiException(HttpStatus.valueOf(failure.status()), "invalid_request_error", code,
                    detail.param(), "The model provider refused the request (nothing was charged)" + said);
        }
        return new ApiException(HttpStatus.BAD_GATEWAY, "server_error", "upstream_error", null,
                "The model provider failed" + (failure.status() > 0 ? " (status " + failure.status() + ")" : "")
                        + ". Nothing was charged; please retry.");
    }
}
