package com.pictura.api.simulator;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The simulated provider answers only its one client, the gateway of this very application, which calls it over
 * loopback: from anywhere else {@code /simulator/**} is a 404, as if it were not there, unless
 * {@code pictura.simulator.remote-access} says otherwise (a benchmark driving it from another machine).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 6)
@ConditionalOnProperty(name = "pictura.simulator.enabled", havingValue = "true", matchIfMissing = true)
public class LoopbackOnly extends OncePerRequestFilter {

    private final boolean remoteAccess;

    public LoopbackOnly(@Value("${pictura.simulator.remote-access:false}") boolean remoteAccess) {
        this.remoteAccess = remoteAccess;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return remoteAccess || !request.getRequestURI().startsWith("/simulator/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isLoopback(request.getRemoteAddr())) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        response.setContentType("application/json");
        response.getOutputStream().write(("{\"error\":{\"message\":\"No such endpoint.\",\"type\":"
                + "\"invalid_request_error\",\"param\":null,\"code\":\"not_found\"}}").getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
    }

    static boolean isLoopback(String address) {
        if (address == null || !address.matches("[0-9a-fA-F:.%\\[\\]]+")) {
            return false; // only IP literals, so no name is ever looked up
        }
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
