package com.pictura.api.gateway;

import java.io.IOException;

import com.pictura.api.web.RequestIds;
import com.pictura.domain.id.Ids;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every {@code /v1} response carries {@code x-request-id}; a body announced larger than the limit is refused
 * with 413 before it is read (bodies without a length are cut off while reading, see {@link JsonBodies}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class V1Headers extends OncePerRequestFilter {

    public static final String REQUEST_ID = "x-request-id";
    public static final String CREDITS_REMAINING = "x-pictura-credits-remaining";
    /** The catalog's name of the provider that served the answer (after any fallback). */
    public static final String UPSTREAM = "x-pictura-upstream";

    private final GatewayProperties properties;

    public V1Headers(GatewayProperties properties) {
        this.properties = properties;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/v1/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // One id per request, the one RequestIds chose (the client's own, if sane): in the answer, the log and the
        // events alike.
        String requestId = RequestIds.current().orElseGet(() -> Ids.random("req_", 24));
        request.setAttribute(REQUEST_ID, requestId);
        response.setHeader(REQUEST_ID, requestId);
        int limit = properties.bodyLimit(request.getRequestURI());
        if (request.getContentLengthLong() > limit) {
            response.setStatus(413);
            response.setContentType("application/json");
            response.getOutputStream().write(JsonBodies.errorJson("The request body is larger than "
                    + limit + " bytes.", "invalid_request_error", null, "request_too_large"));
            return;
        }
        chain.doFilter(request, response);
    }
}
