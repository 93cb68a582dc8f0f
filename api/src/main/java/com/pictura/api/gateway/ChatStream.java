package com.pictura.api.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

import com.pictura.api.catalog.ModelEntry.Upstream;
import com.pictura.api.provider.ProviderClient;
import com.pictura.api.provider.UpstreamCalls;
import com.pictura.api.provider.Tokens;
import com.pictura.api.provider.UpstreamFailure;
import com.pictura.domain.inference.Pricing;
import com.pictura.domain.wallet.Credits;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Relays one streamed chat answer from the provider to the client, chunk by chunk as it arrives, and settles it
 * by what was actually delivered: a chunk counts once it has been written and flushed to the client. The prompt
 * is charged once the provider has processed it (its first chunk arrived), as for a non-streamed call, even when
 * the answer is empty or the client hangs up before the first token. The answer is charged at the provider's
 * usage when it completes; when the client goes away or the provider breaks off, at the tokens delivered so far.
 * A stream that fails before its first chunk is not charged at all. Only a complete stream is kept under its
 * {@code Idempotency-Key}: a retry of an interrupted one really retries.
 *
 * <p>Callbacks come from Netty's event loop, the total-timeout timer and the servlet container; every method
 * that touches the response is synchronized, and the outcome is recorded exactly once.
 */
final class ChatStream implements UpstreamCalls.FailoverHandler, AsyncListener {

    /** How a stream ended. */
    private enum End { COMPLETE, CLIENT_DISCONNECTED, UPSTREAM_INTERRUPTED }

    private final AsyncContext async;
    private final HttpServletResponse response;
    private final ChatCall call;
    private final PaidCall paid;
    private final Clock clock;

    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final StringBuilder eventData = new StringBuilder();
    private ProviderClient.Cancellation upstream;
    private OutputStream out;
    private boolean started;
    private boolean settled;
    private boolean finished;
    private boolean sawDone;
    /** The provider answered with at least one chunk: it has processed the prompt. */
    private boolean answered;
    /** The client went away before the provider answered: settled at its first chunk, or released. */
    private boolean clientGone;
    private long deliveredTokens;
    private long upstreamPromptTokens = -1;
    private long upstreamCompletionTokens = -1;
    private String id;
    private long created;
    /** The upstream of the current attempt: named in the answer's header and the charge's metadata. */
    private String upstreamName;

    ChatStream(AsyncContext async, HttpServletResponse response, ChatCall call,
               PaidCall paid, Clock clock) {
        this.async = async;
        this.response = response;
        this.call = call;
        this.paid = paid;
        this.clock = clock;
        async.setTimeout(paid.asyncTimeoutMillis());
        async.addListener(this);
    }

    synchronized void attach(ProviderClient.Cancellation cancellation) {
        this.upstream = cancellation;
        if (settled) {
            cancellation.cancel();
        }
    }

    /** Another upstream may take over only while nothing reached the client; it starts from a clean slate. */
    @Override
    public synchronized boolean startingOn(Upstream upstream) {
        if (settled || answered || started || clientGone) {
            return false;
        }
        pending.reset();
        eventData.setLength(0);
        sawDone = false;
        finished = false;
        upstreamPromptTokens = -1;
        upstreamCompletionTokens = -1;
        upstreamName = upstream.name();
        return true;
    }

    @Override
    public synchronized void onData(byte[] bytes) {
        if (settled) {
            return;
        }
        pending.write(bytes, 0, bytes.length);
        byte[] buffered = pending.toByteArray();
        int lineStart = 0;
        for (int i = 0; i < buffered.length && !settled; i++) {
            if (buffered[i] == '\n') {
                String line = new String(buffered, lineStart, i - lineStart, StandardCharsets.UTF_8);
                lineStart = i + 1;
                line(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
            }
        }
        pending.reset();
        if (!settled) {
            pending.write(buffered, lineStart, buffered.length - lineStart);
        }
    }

    private void line(String line) {
        if (line.isEmpty()) {
            if (!eventData.isEmpty()) {
                event(eventData.toString());
                eventData.setLength(0);
            }
        } else if (line.startsWith("data:")) {
            String data = line.substring(5);
            if (!eventData.isEmpty()) {
                eventData.append('\n');
            }
            eventData.append(data.startsWith(" ") ? data.substring(1) : data);
        }
        // comments (":") and other fields are not relayed
    }

    private void event(String data) {
        if ("[DONE]".equals(data.strip())) {
            sawDone = true;
            return;
        }
        ObjectNode chunk;
        try {
            chunk = (ObjectNode) JsonBodies.JSON.readTree(data);
        } catch (JacksonException | ClassCastException e) {
            return; // not a chunk we understand: not relayed, not counted
        }
        answered = true;
        if (clientGone) {
            settle(End.CLIENT_DISCONNECTED, null);
            return;
        }
        if (id == null) {
            id = chunk.path("id").asString("chatcmpl-" + paid.id().value());
            created = chunk.path("created").asLong(clock.millis() / 1000);
        }
        JsonNode usage = chunk.get("usage");
        if (usage != null && usage.isObject()) {
            upstreamPromptTokens = usage.path("prompt_tokens").asLong(-1);
            upstreamCompletionTokens = usage.path("completion_tokens").asLong(-1);
        }
        JsonNode choices = chunk.get("choices");
        if (choices == null || choices.isEmpty()) {
            return; // the usage chunk: the client gets ours, with the cost, at the end
        }
        long tokens = 0;
        for (JsonNode choice : choices) {
            tokens += Tokens.output(choice); // content, tool-call names and argument fragments
            if (call.legacyFunctions()) {
                LegacyFunctions.toFunctionCall(choice, "delta");
            }
            if (choice.hasNonNull("finish_reason")) {
                finished = true;
            }
        }
        chunk.put("model", call.model().id());
        chunk.remove("usage");
        if (write(chunk)) {
            deliveredTokens += tokens;
        }
    }

    /** Writes one SSE event; false (and the stream settled as abandoned) if the client has gone away. */
    private boolean write(ObjectNode chunk) {
        return writeRaw("data: " + JsonBodies.JSON.writeValueAsString(chunk) + "\n\n");
    }

    private boolean writeRaw(String text) {
        if (send(text)) {
            return true;
        }
        settle(End.CLIENT_DISCONNECTED, null);
        return false;
    }

    /** Writes and flushes {@code text}, starting the event stream on the first write; false if the client is gone. */
    private boolean send(String text) {
        try {
            if (!started) {
                started = true;
                response.setStatus(200);
                response.setContentType("text/event-stream;charset=UTF-8");
                response.setHeader("Cache-Control", "no-cache");
                response.setHeader(V1Headers.UPSTREAM, upstreamName);
                out = response.getOutputStream();
            }
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public synchronized void onComplete() {
        if (settled) {
            return;
        }
        if (!pending.toString(StandardCharsets.UTF_8).isBlank()) {
            line(pending.toString(StandardCharsets.UTF_8));
        }
        line("");
        if (settled) {
            return;
        }
        if (sawDone || finished) {
            settle(End.COMPLETE, null);
        } else {
            settle(End.UPSTREAM_INTERRUPTED,
                    new UpstreamFailure(UpstreamFailure.Kind.ERROR, 0, "stream ended early"));
        }
    }

    @Override
    public synchronized void onError(UpstreamFailure failure) {
        if (!settled && sawDone) {
            settle(End.COMPLETE, null); // the answer was whole; only the connection's end was not
        } else if (!settled) {
            settle(End.UPSTREAM_INTERRUPTED, failure);
        }
    }

    /** Settles the call once, finishes the response if the client is still there. */
    private void settle(End completion, UpstreamFailure failure) {
        if (settled) {
            return;
        }
        settled = true;
        if (upstream != null && completion != End.COMPLETE) {
            upstream.cancel();
        }
        boolean gone = clientGone || completion == End.CLIENT_DISCONNECTED;
        boolean complete = completion == End.COMPLETE;
        long input = upstreamPromptTokens >= 0 ? upstreamPromptTokens : call.countedInputTokens();
        // Charged for what was delivered: the provider's count when the answer completed, ours otherwise.
        long output = complete && upstreamCompletionTokens >= 0 ? upstreamCompletionTokens : deliveredTokens;
        Credits cost = Credits.ZERO;
        if (answered) {
            cost = paid.charge(input, output, 0, Pricing.chat(input, output, call.price()), upstreamName);
        } else {
            paid.release(gone ? "client_disconnected" : failure != null ? failure.reason() : "empty_answer");
        }
        if (complete && started) {
            paid.answered(200, "text/event-stream", null);
        } else {
            paid.unanswered();
        }
        if (gone) {
            completeQuietly();
            return;
        }
        if (!started && failure != null) {
            errorResponse(failure);
            return;
        }
        if (complete) {
            if (call.includeUsage()) {
                ObjectNode usage = JsonBodies.JSON.createObjectNode();
                usage.put("id", id).put("object", call.chunkObject()).put("created", created)
                        .put("model", call.model().id());
                usage.putArray("choices");
                usage.putObject("usage").put("prompt_tokens", input).put("completion_tokens", output)
                        .put("total_tokens", input + output).put("cost", JsonBodies.number(cost));
                send("data: " + JsonBodies.JSON.writeValueAsString(usage) + "\n\n");
            }
            send("data: [DONE]\n\n");
        } else {
            send("data: " + new String(JsonBodies.errorJson("The model provider broke off the answer; you are "
                    + "charged only for the prompt and the tokens delivered.", "server_error", null,
                    "upstream_error"), StandardCharsets.UTF_8) + "\n\n");
        }
        completeQuietly();
    }

    private void errorResponse(UpstreamFailure failure) {
        try {
            var error = Replays.upstreamError(failure);
            response.setStatus(error.status().value());
            response.setHeader(V1Headers.UPSTREAM, upstreamName);
            if (error.retryAfterSeconds() != null) {
                response.setHeader("Retry-After", Long.toString(error.retryAfterSeconds()));
            }
            response.setContentType("application/json");
            response.getOutputStream().write(JsonBodies.JSON.writeValueAsBytes(error.body()));
        } catch (IOException | RuntimeException e) {
            // the client is gone as well
        }
        completeQuietly();
    }

    private void completeQuietly() {
        try {
            async.complete();
        } catch (RuntimeException e) {
            // already completed by the container
        }
    }

    @Override
    public synchronized void onTimeout(AsyncEvent event) {
        onError(new UpstreamFailure(UpstreamFailure.Kind.TIMEOUT, 0, "request timed out"));
    }

    /** The client went away. Before the provider answered, the call waits for it: its prompt may be processed. */
    @Override
    public synchronized void onError(AsyncEvent event) {
        if (settled) {
            return;
        }
        if (answered) {
            settle(End.CLIENT_DISCONNECTED, null);
        } else {
            clientGone = true;
        }
    }

    @Override
    public void onComplete(AsyncEvent event) {
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }
}
