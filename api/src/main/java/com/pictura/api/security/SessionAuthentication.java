package com.pictura.api.security;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

import com.pictura.api.web.ApiException;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.account.AccountStatus;
import com.pictura.projections.account.AccountRepository;
import com.pictura.projections.account.AccountRow;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Resolves the signed-in account of {@code /api}, {@code /admin} and {@code /audit} requests from
 * {@code Authorization: Bearer ps_…} or the session cookie, and enforces {@link StaffOnly}. Handlers take the
 * result as a {@link Caller} parameter; a handler without one is public.
 */
@Component
public class SessionAuthentication implements HandlerInterceptor {

    public static final String COOKIE = "pictura_session";
    public static final String CALLER = Caller.class.getName();
    private static final java.util.Set<String> SAFE_METHODS = java.util.Set.of("GET", "HEAD", "OPTIONS");

    private final Sessions sessions;
    private final AccountRepository accounts;
    private final Clock clock;
    private final Duration recentSignIn;

    public SessionAuthentication(Sessions sessions, AccountRepository accounts, Clock clock,
                                 @Value("${pictura.staff.recent-sign-in:PT30M}") Duration recentSignIn) {
        this.sessions = sessions;
        this.accounts = accounts;
        this.clock = clock;
        this.recentSignIn = recentSignIn;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method) || !needsCaller(method)) {
            return true;
        }
        Optional<String> token = token(request);
        AccountRow account = token
                .flatMap(sessions::find)
                .flatMap(id -> accounts.findById(id.value()))
                .orElseThrow(() -> ApiException.unauthorized("Sign in first: no valid session was presented."));
        if (account.status() == AccountStatus.TERMINATED) {
            throw ApiException.forbidden("account_terminated", "This account is terminated.");
        }
        Caller caller = new Caller(new AccountId(account.accountId()), account.email(), account.roles());
        StaffOnly staffOnly = Optional.ofNullable(method.getMethodAnnotation(StaffOnly.class))
                .orElse(method.getBeanType().getAnnotation(StaffOnly.class));
        if (staffOnly != null && Arrays.stream(staffOnly.value()).noneMatch(caller::has)) {
            throw ApiException.forbidden("missing_role", "This needs one of the roles " + Arrays.toString(staffOnly.value()) + ".");
        }
        if (staffOnly != null && account.status() != AccountStatus.ACTIVE) {
            throw ApiException.forbidden("account_suspended", "Staff actions need an active account.");
        }
        // A stolen or forgotten session must not carry staff powers for a week: staff sign in again.
        if (staffOnly != null && sessions.openedAt(token.orElseThrow())
                .filter(at -> at.isAfter(clock.instant().minus(recentSignIn))).isEmpty()) {
            throw new ApiException(org.springframework.http.HttpStatus.UNAUTHORIZED, "authentication_error",
                    "reauthentication_required", null, "Staff actions need a sign-in within the last "
                    + recentSignIn.toMinutes() + " minutes: sign in again.");
        }
        if (!bearer(request) && !SAFE_METHODS.contains(request.getMethod()) && !sameOrigin(request)) {
            // A browser sends the cookie with requests other sites' pages make: a change needs this site's origin.
            throw ApiException.forbidden("cross_site_request", "This request came from another site (or says "
                    + "no origin) and carries only the session cookie: nothing was changed.");
        }
        request.setAttribute(CALLER, caller);
        return true;
    }

    private static boolean bearer(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
    }

    /** The Origin (or, without one, the Referer) is this server as the browser addressed it. */
    private static boolean sameOrigin(HttpServletRequest request) {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin == null) {
            String referer = request.getHeader(HttpHeaders.REFERER);
            if (referer == null) {
                return false;
            }
            try {
                java.net.URI uri = java.net.URI.create(referer);
                origin = uri.getScheme() + "://" + uri.getRawAuthority();
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        String host = request.getHeader(HttpHeaders.HOST);
        return host != null && origin.equalsIgnoreCase(request.getScheme() + "://" + host);
    }

    /** The presented session token, from the Authorization header or else the cookie. */
    public static Optional<String> token(HttpServletRequest request) {
        if (bearer(request)) {
            return Optional.of(request.getHeader(HttpHeaders.AUTHORIZATION).substring(7).strip());
        }
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        return Arrays.stream(cookies).filter(c -> COOKIE.equals(c.getName())).map(Cookie::getValue).findFirst();
    }

    private static boolean needsCaller(HandlerMethod method) {
        return Arrays.stream(method.getMethodParameters()).anyMatch(p -> p.getParameterType() == Caller.class)
                || method.hasMethodAnnotation(StaffOnly.class)
                || method.getBeanType().isAnnotationPresent(StaffOnly.class);
    }
}
