package com.pictura.api.provider;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.pictura.api.catalog.ModelEntry;
import com.pictura.api.catalog.ModelEntry.Upstream;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Calls a model at one of its upstreams, in the order {@link UpstreamHealth} gives, moving to the next when one
 * fails before anything reached the client: no connection, an error status that is not the client's fault, a
 * timeout, a stream that broke off before its first chunk was relayed. All attempts belong to the caller's one
 * hold, so the client is charged once, by the upstream that served. Once output has reached the client there is
 * no fallback: the answer is the one that started.
 */
@Component
public class UpstreamCalls {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ProviderClient client;
    private final UpstreamHealth health;

    public UpstreamCalls(ProviderClient client, UpstreamHealth health) {
        this.client = client;
        this.health = health;
    }

    /** A whole answer and the upstream that gave it. */
    public record Served(Upstream upstream, ProviderClient.Answer answer) {
    }

    /** A handler of a streamed answer that can be started again on another upstream. */
    public interface FailoverHandler extends ProviderClient.StreamHandler {
        /**
         * {@code upstream} is about to be tried, the first or a fallback. Returns false when output of an earlier
         * attempt already reached the client: then the call ends with that attempt's failure.
         */
        boolean startingOn(Upstream upstream);
    }

    /**
     * A successful (2xx) answer, or fails with the {@link UpstreamFailure} of the last upstream tried.
     *
     * @param body the request as checked: it names the primary upstream's model; others get theirs
     */
    public CompletableFuture<Served> call(ModelEntry model, String path, byte[] body) {
        CompletableFuture<Served> served = new CompletableFuture<>();
        attempt(model, health.order(model.upstreams()), 0, path, body, served);
        return served;
    }

    private void attempt(ModelEntry model, List<Upstream> order, int index, String path, byte[] body,
                         CompletableFuture<Served> served) {
        Upstream upstream = order.get(index);
        long began = System.nanoTime();
        client.call(upstream.provider(), path, bodyFor(model, upstream, body)).whenComplete((answer, error) -> {
            UpstreamFailure failure = error != null ? unwrap(error) : answer.status() / 100 != 2
                    ? UpstreamFailure.fromAnswer(upstream.name(), answer.status(), answer.body(), null) : null;
            if (failure == null || failure.clientsFault()) {
                health.succeeded(upstream, millisSince(began));
            } else {
                health.failed(upstream);
            }
            if (failure == null) {
                served.complete(new Served(upstream, answer));
            } else if (!failure.clientsFault() && index + 1 < order.size()) {
                attempt(model, order, index + 1, path, body, served);
            } else {
                served.completeExceptionally(failure);
            }
        });
    }

    /** A streamed answer: relayed to {@code handler} from the first upstream that starts one. */
    public ProviderClient.Cancellation stream(ModelEntry model, String path, byte[] body, FailoverHandler handler) {
        Streaming streaming = new Streaming(model, health.order(model.upstreams()), path, body, handler);
        streaming.start(0, null);
        return streaming::cancel;
    }

    private final class Streaming {
        private final ModelEntry model;
        private final List<Upstream> order;
        private final String path;
        private final byte[] body;
        private final FailoverHandler handler;
        private volatile ProviderClient.Cancellation current;
        private volatile boolean cancelled;

        Streaming(ModelEntry model, List<Upstream> order, String path, byte[] body, FailoverHandler handler) {
            this.model = model;
            this.order = order;
            this.path = path;
            this.body = body;
            this.handler = handler;
        }

        /** Starts attempt {@code index}; {@code previous} is how the one before it failed. */
        void start(int index, UpstreamFailure previous) {
            Upstream upstream = order.get(index);
            if (cancelled || !handler.startingOn(upstream)) {
                if (previous != null) {
                    handler.onError(previous);
                }
                return;
            }
            long began = System.nanoTime();
            AtomicBoolean firstByte = new AtomicBoolean();
            current = client.stream(upstream.provider(), path, bodyFor(model, upstream, body),
                    new ProviderClient.StreamHandler() {
                        @Override
                        public void onData(byte[] bytes) {
                            if (firstByte.compareAndSet(false, true)) {
                                health.succeeded(upstream, millisSince(began));
                            }
                            handler.onData(bytes);
                        }

                        @Override
                        public void onComplete() {
                            handler.onComplete();
                        }

                        @Override
                        public void onError(UpstreamFailure failure) {
                            if (!failure.clientsFault()) {
                                health.failed(upstream);
                            }
                            if (!failure.clientsFault() && index + 1 < order.size()) {
                                start(index + 1, failure);
                            } else {
                                handler.onError(failure);
                            }
                        }
                    });
            if (cancelled) {
                current.cancel();
            }
        }

        void cancel() {
            cancelled = true;
            ProviderClient.Cancellation attempt = current;
            if (attempt != null) {
                attempt.cancel();
            }
        }
    }

    /** The checked body names the primary upstream's model; another upstream may call it otherwise. */
    private static byte[] bodyFor(ModelEntry model, Upstream upstream, byte[] body) {
        if (upstream.upstreamModel().equals(model.upstreamModel())) {
            return body;
        }
        ObjectNode request = (ObjectNode) JSON.readTree(body);
        request.put("model", upstream.upstreamModel());
        return JSON.writeValueAsBytes(request);
    }

    private static UpstreamFailure unwrap(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof UpstreamFailure failure ? failure
                : new UpstreamFailure(UpstreamFailure.Kind.ERROR, 0, cause.getClass().getSimpleName());
    }

    private static long millisSince(long began) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
    }
}
