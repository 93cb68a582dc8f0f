package com.pictura.api.gateway;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * {@code POST /v1/chat/completions}: authenticate (interceptor), validate ({@link ChatRequests}), then rate-limit,
 * admit (hold the worst case), call the provider with no transaction open and answer or relay the stream
 * ({@link ChatRelay}). The {@link PaidCall} settles the hold; the response never waits for the settlement.
 */
@RestController
public class ChatCompletionsController {

    private final ChatRequests requests;
    private final ChatRelay relay;
    private final GatewayProperties properties;

    ChatCompletionsController(ChatRequests requests, ChatRelay relay, GatewayProperties properties) {
        this.requests = requests;
        this.relay = relay;
        this.properties = properties;
    }

    @PostMapping("/v1/chat/completions")
    public DeferredResult<ResponseEntity<byte[]>> complete(KeyCaller caller, HttpServletRequest request,
                                                           HttpServletResponse response,
                                                           @RequestHeader(value = Idempotency.HEADER,
                                                                   required = false) String idempotencyKey) {
        byte[] raw = JsonBodies.read(request, properties.bodyLimit(request.getRequestURI()));
        ChatCall call = requests.validate(JsonBodies.object(raw), raw.length);
        return relay.relay(call, caller, request, response, raw, idempotencyKey);
    }
}
