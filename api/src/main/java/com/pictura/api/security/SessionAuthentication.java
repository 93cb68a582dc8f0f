package com.pictura.api.security;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

import com.pictura.api.web.ApiException;
import com.pictura.domain.account.AccountStatus;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Per handler, what the caller must be: a handler that takes a {@link Caller} parameter needs the signed-in
 * account that {@link SessionTokenFilter} found (a handler without one is public), and a {@link StaffOnly} one
 * also a staff role held by an active account that signed in recently.
 */
@Component
public class SessionAuthentication implements HandlerInterceptor {

    public static final String COOKIE = "pictura_session";
    public static final String CALLER = Caller.class.getName();

    private final Sessions sessions;
    private final Clock clock;
    private final Duration recentSignIn;

    public SessionAuthentication(Sessions sessions, Clock clock,
                                 @Value("${pictura.staff.recent-sign-in:PT30M}") Duration recentSignIn) {
        this.sessions = sessions;
        this.clock = clock;
        this.recentSignIn = recentSignIn;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method) || !needsCaller(method)) {
            return true;
        }
        SignedIn signedIn = SecurityContextHolder.getContext().getAuthentication() instanceof SignedIn known
                ? known : null;
        if (signedIn == null) {
            throw ApiException.unauthorized("Sign in first: no valid session was presented.");
        }
        if (signedIn.status() == AccountStatus.TERMINATED) {
            throw ApiException.forbidden("account_terminated", "This account is terminated.");
        }
        Caller caller = signedIn.caller();
        StaffOnly staffOnly = Optional.ofNullable(method.getMethodAnnotation(StaffOnly.class))
                .orElse(method.getBeanType().getAnnotation(StaffOnly.class));
        if (staffOnly != null && Arrays.stream(staffOnly.value()).noneMatch(caller::has)) {
            throw ApiException.forbidden("missing_role", "This needs one of the roles " + Arrays.toString(staffOnly.value()) + ".");
        }
        if (staffOnly != null && signedIn.status() != AccountStatus.ACTIVE) {
            throw ApiException.forbidden("account_suspended", "Staff actions need an active account.");
        }
        // A stolen or forgotten session must not carry staff powers for a week: staff sign in again.
        if (staffOnly != null && sessions.openedAt(signedIn.token())
                .filter(at -> at.isAfter(clock.instant().minus(recentSignIn))).isEmpty()) {
            throw new ApiException(org.springframework.http.HttpStatus.UNAUTHORIZED, "authentication_error",
                    "reauthentication_required", null, "Staff actions need a sign-in within the last "
                    + recentSignIn.toMinutes() + " minutes: sign in again.");
        }
        request.setAttribute(CALLER, caller);
        return true;
    }

    private static boolean bearer(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
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
