package com.pictura.api.gateway;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * {@code POST /v1/completions}, legacy text completions (autocomplete tools): checked by
 * {@link CompletionRequests}, then held, called, answered or streamed and charged by the same {@link ChatRelay}
 * as chat.
 */
@RestController
class CompletionsController {

    private final CompletionRequests requests;
    private final ChatRelay relay;
    private final GatewayProperties properties;

    CompletionsController(CompletionRequests requests, ChatRelay relay, GatewayProperties properties) {
        this.requests = requests;
        this.relay = relay;
        this.properties = properties;
    }

    @PostMapping("/v1/completions")
    DeferredResult<ResponseEntity<byte[]>> complete(KeyCaller caller, HttpServletRequest request,
                                                    HttpServletResponse response,
                                                    @RequestHeader(value = Idempotency.HEADER, required = false)
                                                    String idempotencyKey) {
        byte[] raw = JsonBodies.read(request, properties.maxBodyBytes());
        return relay.relay(requests.validate(JsonBodies.object(raw)), caller, request, response, raw, idempotencyKey);
    }
}
