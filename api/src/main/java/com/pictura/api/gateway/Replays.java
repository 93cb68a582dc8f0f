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

    static ApiException upstreamError(UpstreamFailure failure) {
        if (failure.kind() == UpstreamFailure.Kind.TIMEOUT) {
            return new ApiException(HttpStatus.GATEWAY_TIMEOUT, "server_error", "upstream_timeout", null,
                    "The model provider did not answer in time. Nothing was charged; please retry.");
        }
        return new ApiException(HttpStatus.BAD_GATEWAY, "server_error", "upstream_error", null,
                "The model provider failed" + (failure.status() > 0 ? " (status " + failure.status() + ")" : "")
                        + ". Nothing was charged; please retry.");
    }
}
