package com.pictura.api.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Actuator endpoints other than health (metrics, Prometheus, info) answer only to {@code Authorization: Bearer}
 * with the configured metrics token ({@code PICTURA_METRICS_TOKEN}, what a Prometheus scrape job sends); with no
 * token configured, to nobody. Health stays open for load balancers and orchestrators.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class ActuatorAccess extends OncePerRequestFilter {

    private final byte[] token;

    public ActuatorAccess(@Value("${pictura.metrics.token:}") String token) {
        this.token = token.isBlank() ? null : token.strip().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !(path.equals("/actuator") || path.startsWith("/actuator/"))
                || path.equals("/actuator/health") || path.startsWith("/actuator/health/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        boolean allowed = token != null && header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                && MessageDigest.isEqual(token, header.substring(7).strip().getBytes(StandardCharsets.UTF_8));
        if (!allowed) {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setContentType("application/json");
            response.getWriter().write("{\"error\":{\"message\":\"Metrics need the metrics token (PICTURA_METRICS_TOKEN)"
                    + " as a bearer token.\",\"type\":\"authentication_error\",\"param\":null,\"code\":\"unauthorized\"}}");
            return;
        }
        chain.doFilter(request, response);
    }
}
