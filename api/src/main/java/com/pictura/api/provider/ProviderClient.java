package com.pictura.api.provider;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import com.pictura.api.catalog.ProviderEntry;
import io.micronaut.core.io.buffer.ByteBuffer;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.DefaultHttpClientConfiguration;
import io.micronaut.http.client.StreamingHttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.client.exceptions.ReadTimeoutException;
import io.micronaut.http.netty.NettyHttpResponseBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Calls OpenAI-compatible upstreams with Micronaut's Netty client. Nothing here holds a thread while waiting:
 * answers and stream chunks arrive on Netty's event loop and are handed on as they come. Each provider has a
 * connect, a first-byte and a total timeout.
 */
@Component
public class ProviderClient {

    private final ConcurrentMap<String, StreamingHttpClient> clients = new ConcurrentHashMap<>();
    private final MeterRegistry meters;

    public ProviderClient(MeterRegistry meters) {
        this.meters = meters;
    }

    /** The parts of an answer the gateway needs. */
    public record Answer(int status, byte[] body) {
    }

    /** Receives a streamed answer. Exactly one of {@link #onComplete()} and {@link #onError} ends it. */
    public interface StreamHandler {
        /** The first bytes of a successful answer arrived. */
        void onData(byte[] bytes);

        void onComplete();

        void onError(UpstreamFailure failure);
    }

    /** Cancels a stream whose client went away. */
    public interface Cancellation {
        void cancel();
    }

    /** A whole (non-streamed) answer, or an {@link UpstreamFailure}. */
    public CompletableFuture<Answer> call(ProviderEntry provider, String path, byte[] body) {
        long began = System.nanoTime();
        return Mono.from(client(provider).exchange(request(provider, path, body),
                        Argument.of(byte[].class), Argument.of(byte[].class)))
                .timeout(provider.totalTimeout())
                .map(response -> new Answer(response.getStatus().getCode(), response.getBody().orElse(new byte[0])))
                .onErrorMap(e -> failure(e, provider))
                .toFuture()
                .whenComplete((answer, error) -> measure(provider, began, error != null ? outcome(error)
                        : answer.status() / 100 == 2 ? "ok" : "status_" + answer.status() / 100 + "xx"));
    }

    /** A streamed answer, relayed chunk by chunk to {@code handler} as it arrives. */
    public Cancellation stream(ProviderEntry provider, String path, byte[] body, StreamHandler handler) {
        AtomicBoolean ended = new AtomicBoolean();
        long began = System.nanoTime();
        Flux<HttpResponse<ByteBuffer<?>>> chunks = Flux.from(client(provider).exchangeStream(
                request(provider, path, body)));
        Disposable subscription = chunks
                .timeout(Mono.delay(provider.firstByteTimeout()), chunk -> Mono.never())
                .subscribe(response -> {
                    ByteBuffer<?> buffer = response.getBody().orElse(null);
                    if (buffer == null) {
                        return;
                    }
                    byte[] bytes = buffer.toByteArray(); // Micronaut releases the buffer after this returns
                    if (bytes.length > 0 && !ended.get()) {
                        handler.onData(bytes);
                    }
                }, error -> refusalBody(error).subscribe(said -> {
                    if (ended.compareAndSet(false, true)) {
                        UpstreamFailure failure = said.length == 0 ? failure(error, provider)
                                : UpstreamFailure.fromAnswer(provider.name(), ((HttpClientResponseException) error)
                                        .getStatus().getCode(), said, ((HttpClientResponseException) error)
                                        .getResponse().getHeaders().get("Retry-After"));
                        measure(provider, began, outcome(failure));
                        handler.onError(failure);
                    }
                }), () -> {
                    if (ended.compareAndSet(false, true)) {
                        measure(provider, began, "ok");
                        handler.onComplete();
                    }
                });
        Disposable total = Schedulers.parallel().schedule(() -> {
            if (ended.compareAndSet(false, true)) {
                subscription.dispose();
                measure(provider, began, "timeout");
                handler.onError(new UpstreamFailure(UpstreamFailure.Kind.TIMEOUT, 0,
                        "no complete answer within " + provider.totalTimeout()));
            }
        }, provider.totalTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        return () -> {
            if (ended.compareAndSet(false, true)) {
                measure(provider, began, "cancelled"); // the client went away first
            }
            subscription.dispose();
            total.dispose();
        };
    }

    /**
     * {@code pictura_gateway_upstream_seconds{provider,outcome}}: how long the upstream took, by how it ended
     * ({@code ok}, {@code status_4xx}, {@code status_5xx}, {@code timeout}, {@code error}, {@code cancelled}).
     */
    private void measure(ProviderEntry provider, long began, String outcome) {
        Timer.builder("pictura.gateway.upstream").description("Calls to model providers, by how they ended")
                .tag("provider", provider.name()).tag("outcome", outcome)
                .register(meters).record(System.nanoTime() - began, TimeUnit.NANOSECONDS);
    }

    private static String outcome(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (cause instanceof UpstreamFailure failure) {
            if (failure.kind() == UpstreamFailure.Kind.TIMEOUT) {
                return "timeout";
            }
            return failure.status() >= 400 ? "status_" + failure.status() / 100 + "xx" : "error";
        }
        return "error";
    }

    private MutableHttpRequest<byte[]> request(ProviderEntry provider, String path, byte[] body) {
        MutableHttpRequest<byte[]> request = HttpRequest.POST(URI.create(provider.baseUrl().get() + path).getRawPath(),
                body).contentType(MediaType.APPLICATION_JSON_TYPE);
        if (provider.apiKey() != null && !provider.apiKey().isBlank()) {
            request.bearerAuth(provider.apiKey());
        }
        return request;
    }

    private StreamingHttpClient client(ProviderEntry provider) {
        URI base = URI.create(provider.baseUrl().get());
        String origin = base.getScheme() + "://" + base.getRawAuthority();
        return clients.computeIfAbsent(provider.name() + " " + origin, key -> {
            DefaultHttpClientConfiguration configuration = new DefaultHttpClientConfiguration();
            configuration.setConnectTimeout(provider.connectTimeout());
            // Whole answers are bounded by the total timeout; a stream that stalls fails after the first-byte one.
            configuration.setReadTimeout(provider.totalTimeout().plus(Duration.ofSeconds(1)));
            configuration.setReadIdleTimeout(provider.firstByteTimeout());
            configuration.setMaxContentLength(64 * 1024 * 1024);
            configuration.getConnectionPoolConfiguration().setEnabled(true);
            configuration.getConnectionPoolConfiguration().setMaxConcurrentHttp1Connections(512);
            try {
                return StreamingHttpClient.create(new URL(origin), configuration);
            } catch (MalformedURLException e) {
                throw new IllegalStateException("bad provider URL for " + provider.name(), e);
            }
        });
    }

    private static UpstreamFailure failure(Throwable error, ProviderEntry provider) {
        if (error instanceof UpstreamFailure failure) {
            return failure;
        }
        if (error instanceof HttpClientResponseException response) {
            byte[] body = errorBody(response.getResponse());
            return UpstreamFailure.fromAnswer(provider.name(), response.getStatus().getCode(), body,
                    response.getResponse().getHeaders().get("Retry-After"));
        }
        if (error instanceof TimeoutException || error instanceof ReadTimeoutException
                || (error.getMessage() != null && error.getMessage().toLowerCase().contains("timed out"))) {
            return new UpstreamFailure(UpstreamFailure.Kind.TIMEOUT, 0, provider.name() + " timed out");
        }
        return new UpstreamFailure(UpstreamFailure.Kind.ERROR, 0,
                provider.name() + " failed: " + error.getClass().getSimpleName());
    }

    /**
     * The body of a streamed request's error answer (a client's refusal says what was wrong in it), read in
     * full up to 64 KiB and within a second; empty when it is not an error answer or cannot be read.
     */
    private static Mono<byte[]> refusalBody(Throwable error) {
        if (!(error instanceof HttpClientResponseException e)
                || !(e.getResponse() instanceof NettyHttpResponseBuilder netty) || !netty.isStream()) {
            return Mono.just(new byte[0]);
        }
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        return Flux.from(netty.toStreamHttpResponse())
                .doOnNext(content -> {
                    try {
                        int room = 64 * 1024 - body.size();
                        if (room > 0) {
                            byte[] bytes = new byte[Math.min(room, content.content().readableBytes())];
                            content.content().readBytes(bytes);
                            body.writeBytes(bytes);
                        }
                    } finally {
                        content.release();
                    }
                })
                .then(Mono.fromSupplier(body::toByteArray))
                .timeout(Duration.ofSeconds(1), Mono.fromSupplier(body::toByteArray))
                .onErrorResume(e2 -> Mono.fromSupplier(body::toByteArray));
    }

    /** A refusal's body: bytes for whole answers, a Netty buffer for streams. */
    private static byte[] errorBody(HttpResponse<?> response) {
        try {
            Object body = response.getBody().orElse(null);
            if (body instanceof byte[] bytes) {
                return bytes;
            }
            if (body instanceof ByteBuffer<?> buffer) {
                return buffer.toByteArray();
            }
            return response.getBody(byte[].class).orElse(null);
        } catch (RuntimeException e) {
            return null; // no readable body: the status is all there is
        }
    }

    @PreDestroy
    void close() {
        clients.values().forEach(client -> {
            try {
                client.close();
            } catch (Exception e) {
                // closing anyway
            }
        });
    }
}
