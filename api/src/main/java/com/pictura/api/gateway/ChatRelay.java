package com.pictura.api.gateway;

import java.time.Clock;

import com.pictura.api.provider.UpstreamCalls;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.async.DeferredResult;

/** The paid half of a chat or text completion, once its request is checked: limit, hold, call, answer or stream. */
@Component
class ChatRelay {

    /** Names the request fields that were dropped, unknown to Pictura (see {@link ChatRequests}). */
    static final String IGNORED_FIELDS = "x-pictura-ignored-fields";

    private final UpstreamCalls upstreams;
    private final RateLimiter rateLimiter;
    private final PaidCalls paidCalls;
    private final Clock clock;

    ChatRelay(UpstreamCalls upstreams, RateLimiter rateLimiter, PaidCalls paidCalls, Clock clock) {
        this.upstreams = upstreams;
        this.rateLimiter = rateLimiter;
        this.paidCalls = paidCalls;
        this.clock = clock;
    }

    /** Rate-limit, admit, call and answer (or stream): the same for chat and text completions. */
    DeferredResult<ResponseEntity<byte[]>> relay(ChatCall call, KeyCaller caller, HttpServletRequest request,
                                                 HttpServletResponse response, byte[] raw, String idempotencyKey) {
        rateLimiter.admit(caller, call.inputTokens() + call.maxOutputTokens(), response);
        PaidCalls.Admitted admitted = paidCalls.admit(caller, idempotencyKey, request, raw, response, call.model(),
                call.worstCase(), call.inputTokens());
        if (!call.ignoredFields().isEmpty()) {
            response.setHeader(IGNORED_FIELDS, String.join(", ", call.ignoredFields()));
        }
        if (admitted.replay() != null) {
            DeferredResult<ResponseEntity<byte[]>> replay = new DeferredResult<>();
            replay.setResult(admitted.replay());
            return replay;
        }
        PaidCall paid = admitted.call();
        if (call.stream()) {
            ChatStream stream = new ChatStream(request.startAsync(), response, call, paid, clock);
            stream.attach(upstreams.stream(call.model(), call.upstreamPath(), call.upstreamBody(), stream));
            return null;
        }
        DeferredResult<ResponseEntity<byte[]>> result = paid.answerLater();
        upstreams.call(call.model(), call.upstreamPath(), call.upstreamBody())
                .whenComplete((served, error) -> {
                    try {
                        result.setResult(ChatAnswers.answer(call, paid, served, error));
                    } catch (RuntimeException e) {
                        result.setErrorResult(e);
                    }
                });
        return result;
    }
}
