package com.pictura.api.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.pictura.api.Http;
import com.pictura.api.IntegrationTest;
import com.pictura.api.security.Caller;
import com.pictura.api.security.StaffOnly;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every route the application serves, as Spring's handler mapping lists them, against every kind of caller: no
 * credentials, an API key where a session belongs and the reverse, a plain account on staff routes, and one
 * account's session with another account's ids. A route without a rule below fails the test, so a new route
 * cannot ship without someone deciding who may call it.
 */
class AuthorizationMatrixTest extends IntegrationTest {

    /** Who may call a route. */
    enum Access {
        /** Anyone: sign-up, sign-in, the catalog, packs, unguessable image links, the error page. */
        PUBLIC,
        /** A signed-in account (session token or cookie), about its own data only. */
        SESSION,
        /** A signed-in account holding a staff role. */
        STAFF,
        /** An API key, on /v1. */
        API_KEY,
        /** Stripe, proven by the signature on the body. */
        SIGNED,
        /** The built-in simulators of the model provider and of Stripe: off in production (SimulatorGuard). */
        SIMULATOR
    }

    private static final Map<String, Access> RULES = new TreeMap<>(Map.ofEntries(
            Map.entry("POST /api/accounts", Access.PUBLIC),
            Map.entry("GET /api/me", Access.SESSION),
            // Shown on the sign-up page, before there is an account.
            Map.entry("GET /api/terms", Access.PUBLIC),
            Map.entry("POST /api/me/password", Access.SESSION),
            // The link in the mail may be opened on another device, signed in or not: the token is the proof.
            Map.entry("POST /api/email-verifications", Access.PUBLIC),
            Map.entry("POST /api/me/verification-mail", Access.SESSION),
            Map.entry("GET /api/outbox", Access.SESSION),
            Map.entry("POST /api/session", Access.PUBLIC),
            // Ends the session it is shown, if any: nothing to protect.
            Map.entry("DELETE /api/session", Access.PUBLIC),
            // Where Stripe's checkout sends the browser back: pages without account data.
            Map.entry("GET /billing/checkout/complete", Access.PUBLIC),
            Map.entry("GET /billing/checkout/cancelled", Access.PUBLIC),
            Map.entry("POST /api/keys", Access.SESSION),
            Map.entry("GET /api/keys", Access.SESSION),
            Map.entry("DELETE /api/keys/{id}", Access.SESSION),
            Map.entry("PUT /api/keys/{id}/limits", Access.SESSION),
            Map.entry("GET /api/ledger", Access.SESSION),
            Map.entry("GET /api/billing/packs", Access.PUBLIC),
            Map.entry("POST /api/billing/checkout", Access.SESSION),
            Map.entry("GET /admin/billing/reconciliation", Access.STAFF),
            Map.entry("GET /admin/accounts", Access.STAFF),
            Map.entry("GET /admin/accounts/{id}", Access.STAFF),
            Map.entry("POST /admin/accounts/{id}/adjustments", Access.STAFF),
            Map.entry("GET /admin/accounts/{id}/adjustments", Access.STAFF),
            Map.entry("GET /admin/accounts/{id}/ledger", Access.STAFF),
            Map.entry("GET /admin/accounts/{id}/usage", Access.STAFF),
            Map.entry("POST /admin/accounts/{id}/adjustments/{requestId}/approve", Access.STAFF),
            Map.entry("POST /admin/accounts/{id}/adjustments/{requestId}/reject", Access.STAFF),
            Map.entry("POST /admin/accounts/{id}/refunds", Access.STAFF),
            Map.entry("POST /admin/accounts/{id}/suspend", Access.STAFF),
            Map.entry("POST /admin/accounts/{id}/reinstate", Access.STAFF),
            Map.entry("POST /admin/accounts/{id}/terminate", Access.STAFF),
            Map.entry("POST /admin/keys/{keyId}/revoke", Access.STAFF),
            Map.entry("POST /admin/accounts/{id}/roles/{role}/grant", Access.STAFF),
            Map.entry("POST /admin/accounts/{id}/roles/{role}/revoke", Access.STAFF),
            Map.entry("GET /audit/accounts/{id}/events", Access.STAFF),
            Map.entry("GET /audit/accounts/{id}/balance", Access.STAFF),
            Map.entry("GET /audit/verification", Access.STAFF),
            Map.entry("GET /audit/chain/verification", Access.STAFF),
            Map.entry("GET /audit/chain/heads", Access.STAFF),
            Map.entry("GET /audit/export", Access.STAFF),
            Map.entry("GET /audit/staff-actions", Access.STAFF),
            Map.entry("GET /api/usage", Access.SESSION),
            Map.entry("GET /api/usage/{requestId}", Access.SESSION),
            Map.entry("GET /api/usage/totals", Access.SESSION),
            Map.entry("GET /api/usage/export", Access.SESSION),
            Map.entry("GET /audit/replays", Access.STAFF),
            Map.entry("POST /audit/replays/{processor}", Access.STAFF),
            Map.entry("GET /audit/replays/{processor}", Access.STAFF),
            Map.entry("POST /billing/stripe/webhook", Access.SIGNED),
            Map.entry("POST /v1/chat/completions", Access.API_KEY),
            Map.entry("POST /v1/completions", Access.API_KEY),
            Map.entry("POST /v1/embeddings", Access.API_KEY),
            Map.entry("POST /v1/images/generations", Access.API_KEY),
            Map.entry("GET /v1/models", Access.API_KEY),
            Map.entry("GET /v1/models/{id}", Access.API_KEY),
            Map.entry("GET /v1/credits", Access.API_KEY),
            Map.entry("GET /v1/files/images/{name}", Access.PUBLIC)));

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    record Route(String method, String pattern, HandlerMethod handler) {
        String key() {
            return method + " " + pattern;
        }
    }

    @Test
    void everyRouteHasARuleAndTheRuleAgreesWithTheHandler() {
        List<String> problems = new ArrayList<>();
        for (Route route : routes()) {
            Access access = rule(route);
            if (access == null) {
                problems.add(route.key() + ": no rule (add it to RULES with who may call it)");
                continue;
            }
            boolean takesCaller = Arrays.stream(route.handler().getMethodParameters())
                    .anyMatch(p -> p.getParameterType() == Caller.class);
            boolean staff = route.handler().hasMethodAnnotation(StaffOnly.class)
                    || route.handler().getBeanType().isAnnotationPresent(StaffOnly.class);
            if (access == Access.SESSION && !takesCaller || access == Access.STAFF && !staff
                    || access == Access.PUBLIC && (takesCaller || staff)) {
                problems.add(route.key() + ": rule " + access + " but the handler takes caller=" + takesCaller
                        + ", staff=" + staff);
            }
        }
        assertThat(problems).isEmpty();
        assertThat(routes()).as("routes found").hasSizeGreaterThanOrEqualTo(RULES.size());
    }

    @Test
    void noCallerReachesWhatItsRuleDoesNotAllow() {
        Person victim = signUp("victim");
        var victimKey = http.post("/api/keys", victim.session(), Map.of("name", "victim's"));
        assertThat(victimKey.status()).isEqualTo(201);
        Person intruder = signUp("intruder");
        var intruderKey = http.post("/api/keys", intruder.session(), Map.of("name", "intruder's"));
        String apiKey = intruderKey.json().get("key").asString();
        // Another account's ids wherever a route takes one.
        Map<String, String> victimsIds = Map.of("{id}", victimKey.json().get("id").asString());

        List<String> leaks = new ArrayList<>();
        for (Route route : routes()) {
            Access access = rule(route);
            if (access == null) {
                continue; // reported by the test above
            }
            String path = route.pattern();
            for (var id : victimsIds.entrySet()) {
                path = path.replace(id.getKey(), id.getValue());
            }
            path = path.replaceAll("\\{[^}]+}", "unknown");
            switch (access) {
                case SESSION -> {
                    expect(leaks, route, "no credentials", call(route.method(), path, null), 401);
                    expect(leaks, route, "an API key", call(route.method(), path, apiKey), 401);
                    if (!path.equals(route.pattern())) {
                        expect(leaks, route, "another account's id", call(route.method(), path, intruder.session()), 404);
                    }
                }
                case STAFF -> {
                    expect(leaks, route, "no credentials", call(route.method(), path, null), 401);
                    expect(leaks, route, "an account without a role", call(route.method(), path, intruder.session()), 403);
                    expect(leaks, route, "an API key", call(route.method(), path, apiKey), 401);
                }
                case API_KEY -> {
                    expect(leaks, route, "no credentials", call(route.method(), path, null), 401);
                    expect(leaks, route, "a session token", call(route.method(), path, intruder.session()), 401);
                }
                case SIGNED -> expect(leaks, route, "no signature", call(route.method(), path, null), 400);
                case PUBLIC, SIMULATOR -> {
                    int status = call(route.method(), path, null).status();
                    if (status >= 500) {
                        leaks.add(route.key() + " answered " + status + " to a caller without credentials");
                    }
                }
            }
        }
        assertThat(leaks).isEmpty();
        // The victim's key survived the intruder's attempt to revoke it or to change its limits.
        assertThat(http.get("/api/keys", victim.session()).body()).doesNotContain("\"revokedAt\":\"")
                .doesNotContain("\"expiresAt\":\"");
    }

    private static void expect(List<String> leaks, Route route, String who, Http.Response response, int status) {
        if (response.status() != status) {
            leaks.add(route.key() + " with " + who + ": " + response.status() + " (expected " + status + ") "
                    + response.body().substring(0, Math.min(160, response.body().length())));
        }
    }

    private Http.Response call(String method, String path, String bearer) {
        return switch (method) {
            case "GET" -> http.get(path, bearer);
            case "DELETE" -> http.delete(path, bearer);
            case "PUT" -> http.put(path, bearer, "{}");
            default -> http.post(path, bearer, "{}");
        };
    }

    /** The route's rule: its own, or that of the simulators and framework pages by their prefix. */
    private static Access rule(Route route) {
        if (route.pattern().startsWith("/simulator/") || route.pattern().startsWith("/stripe-sim/")) {
            return Access.SIMULATOR;
        }
        if (route.pattern().equals("/error") || route.pattern().startsWith("/openapi.json")
                || route.pattern().startsWith("/swagger-ui")) {
            return Access.PUBLIC;
        }
        return RULES.get(route.key());
    }

    private List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mappings.getHandlerMethods().entrySet()) {
            var info = entry.getKey();
            var methods = info.getMethodsCondition().getMethods();
            for (String pattern : info.getPatternValues()) {
                for (var method : methods) {
                    routes.add(new Route(method.name(), pattern, entry.getValue()));
                }
                if (methods.isEmpty()) {
                    routes.add(new Route("GET", pattern, entry.getValue()));
                }
            }
        }
        return routes;
    }
}
