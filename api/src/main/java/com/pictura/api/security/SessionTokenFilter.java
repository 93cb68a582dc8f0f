package com.pictura.api.security;

import java.io.IOException;

import com.pictura.domain.account.AccountId;
import com.pictura.projections.account.AccountRepository;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Turns a presented dashboard session ({@code Authorization: Bearer ps_…} or the session cookie) into a
 * {@link SignedIn} authentication. It never refuses: what a route needs is decided after it, so a public route
 * still works with a stale cookie. Only the routes that can use a session pay for the look-up.
 */
final class SessionTokenFilter extends OncePerRequestFilter {

    private final Sessions sessions;
    private final AccountRepository accounts;

    SessionTokenFilter(Sessions sessions, AccountRepository accounts) {
        this.sessions = sessions;
        this.accounts = accounts;
    }

    /** The routes a dashboard session can act on. */
    static boolean usesSessions(HttpServletRequest request) {
        String path = request.getRequestURI();
        return path.startsWith("/api/") || path.startsWith("/admin/") || path.startsWith("/audit/");
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !usesSessions(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        SessionAuthentication.token(request).ifPresent(token -> sessions.find(token)
                .flatMap(id -> accounts.findById(id.value()))
                .ifPresent(account -> SecurityContextHolder.getContext().setAuthentication(new SignedIn(
                        new Caller(new AccountId(account.accountId()), account.email(), account.roles()),
                        account.status(), token))));
        chain.doFilter(request, response);
    }
}
