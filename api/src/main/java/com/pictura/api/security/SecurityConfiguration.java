package com.pictura.api.security;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import com.pictura.api.web.ApiError;
import com.pictura.projections.account.AccountRepository;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.util.matcher.RequestMatcher;
import tools.jackson.databind.json.JsonMapper;

/**
 * Spring Security in front of every request: who the caller is (a dashboard session, resolved by
 * {@link SessionTokenFilter}), CSRF protection for the browser, the security headers, and the coarse rule that
 * staff routes need a staff role. Which handler needs a signed-in caller, and which staff role, is decided per
 * handler by {@link SessionAuthentication}; API keys are checked by the gateway, on {@code /v1} only.
 *
 * <p>CSRF: a change made with the session cookie alone (no {@code Authorization} header) must echo the readable
 * {@value #CSRF_COOKIE} cookie (set by any answer under {@code /api}, {@code /admin}, {@code /audit}) in
 * {@value #CSRF_HEADER}; only a page of this origin can read it. Requests without
 * the cookie carry no ambient credentials a forged request could ride on (sign-up, sign-in, programs with a
 * bearer token), and routes that take no session ({@code /v1}, Stripe's signed webhook, the Stripe simulator's
 * hosted page) cannot be abused with it, so they need no token.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
public class SecurityConfiguration {

    static final String CSRF_COOKIE = "XSRF-TOKEN";
    static final String CSRF_HEADER = "X-XSRF-TOKEN";
    static final String CONTENT_POLICY = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    /** Account-scoped prefixes: their answers carry balances, key secrets, session tokens or model output. */
    private static final List<String> PRIVATE = List.of("/api/", "/v1/", "/admin/", "/audit/", "/billing/");

    @Bean
    SecurityFilterChain pictura(HttpSecurity http, Sessions sessions, AccountRepository accounts, JsonMapper json)
            throws Exception {
        CookieCsrfTokenRepository csrfTokens = CookieCsrfTokenRepository.withHttpOnlyFalse();
        csrfTokens.setCookieCustomizer(cookie -> cookie.sameSite("Lax").path("/"));
        RequestMatcher cookieOnlyChange = request -> !SAFE_METHODS.contains(request.getMethod())
                && SessionTokenFilter.usesSessions(request) && request.getHeader(HttpHeaders.AUTHORIZATION) == null
                && SessionAuthentication.token(request).isPresent();
        http.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable())
                .logout(logout -> logout.disable())
                .csrf(csrf -> csrf.csrfTokenRepository(csrfTokens)
                        .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler())
                        .requireCsrfProtectionMatcher(cookieOnlyChange)
                        // Spring renews the token when it sees a new authentication, which with sessions resolved
                        // on every request is every request: the page's token would vanish after each answer.
                        .sessionAuthenticationStrategy((authentication, request, response) -> { }))
                .addFilterBefore(new SessionTokenFilter(sessions, accounts), CsrfFilter.class)
                .addFilterAfter((request, response, chain) -> {
                    // Load the deferred token so that the browser holds the cookie before its first change.
                    HttpServletRequest browser = (HttpServletRequest) request;
                    if (SessionTokenFilter.usesSessions(browser) && browser.getHeader(HttpHeaders.AUTHORIZATION) == null
                            && request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token) {
                        token.getToken();
                    }
                    chain.doFilter(request, response);
                }, CsrfFilter.class)
                .headers(headers -> headers
                        .contentSecurityPolicy(policy -> policy.policyDirectives(CONTENT_POLICY))
                        .frameOptions(frame -> frame.deny())
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER))
                        .httpStrictTransportSecurity(hsts -> hsts.maxAgeInSeconds(31_536_000).includeSubDomains(true))
                        // Spring's default forbids caching everything; here only what is account-scoped, exactly.
                        .cacheControl(cache -> cache.disable())
                        .addHeaderWriter((request, response) -> {
                            String path = request.getRequestURI();
                            if (PRIVATE.stream().anyMatch(path::startsWith)) {
                                response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
                            }
                        }))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/admin/**", "/audit/**").hasAnyRole("ADMIN", "SUPPORT", "AUDITOR")
                        .anyRequest().permitAll())
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) -> refuse(json, response, 401,
                                ApiError.of("Sign in first: no valid session was presented.", "authentication_error",
                                        null, "unauthorized")))
                        .accessDeniedHandler((request, response, e) -> refuse(json, response, 403,
                                e instanceof CsrfException
                                        ? ApiError.of("This change carries the session cookie but not the " + CSRF_HEADER
                                                + " header that echoes the " + CSRF_COOKIE + " cookie (a request from "
                                                + "another site looks like this): nothing was changed.",
                                                "permission_error", null, "csrf_token_invalid")
                                        : ApiError.of("This needs a staff role.", "permission_error", null,
                                                "missing_role"))));
        return http.build();
    }

    private static void refuse(JsonMapper json, HttpServletResponse response, int status, ApiError error)
            throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        json.writeValue(response.getOutputStream(), error);
    }
}
