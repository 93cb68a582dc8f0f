package com.pictura.api.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * CORS for {@code /v1}: browser clients of an OpenAI-compatible API (playgrounds, in-browser SDKs) need it, and an
 * API key in a web page is the page owner's choice, so the origins allowed are configuration
 * ({@code pictura.gateway.cors-allowed-origins}, {@code PICTURA_CORS_ALLOWED_ORIGINS}: a comma-separated list, or
 * {@code *}); none by default. A preflight is answered here, before authentication (browsers send no key with it):
 * 200 with the CORS headers for an allowed origin, 403 in the API's error shape for any other. No cookies are
 * involved ({@code /v1} authenticates with bearer keys), so credentials are never allowed.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 8)
public class V1Cors extends CorsFilter {

    public V1Cors(@Value("${pictura.gateway.cors-allowed-origins:}") String origins) {
        super(source(origins));
        setCorsProcessor(new ApiShaped());
    }

    private static UrlBasedCorsConfigurationSource source(String origins) {
        CorsConfiguration cors = new CorsConfiguration();
        List<String> allowed = Arrays.stream(origins.split(",")).map(String::strip).filter(o -> !o.isEmpty()).toList();
        if (!allowed.isEmpty()) {
            cors.setAllowedOriginPatterns(allowed);
        }
        cors.setAllowedMethods(List.of("GET", "POST"));
        cors.setAllowedHeaders(List.of("*"));
        cors.setExposedHeaders(List.of(V1Headers.REQUEST_ID, V1Headers.CREDITS_REMAINING, "Retry-After",
                "Idempotent-Replayed", "x-ratelimit-limit-requests", "x-ratelimit-remaining-requests",
                "x-ratelimit-reset-requests", "x-ratelimit-limit-tokens", "x-ratelimit-remaining-tokens",
                "x-ratelimit-reset-tokens"));
        cors.setAllowCredentials(false);
        cors.setMaxAge(600L);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/v1/**", cors);
        return source;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/v1/");
    }

    /** Spring's CORS rules, with a refusal a client can read. */
    private static final class ApiShaped extends DefaultCorsProcessor {
        @Override
        protected void rejectRequest(ServerHttpResponse response) throws IOException {
            response.setStatusCode(HttpStatus.FORBIDDEN);
            response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
            response.getBody().write(JsonBodies.errorJson("This origin may not call the API from a browser; the "
                    + "operator allows origins with PICTURA_CORS_ALLOWED_ORIGINS.", "invalid_request_error", null,
                    "cors_origin_not_allowed"));
            response.flush();
        }
    }
}
