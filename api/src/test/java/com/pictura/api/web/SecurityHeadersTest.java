package com.pictura.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.pictura.api.Http;
import com.pictura.api.IntegrationTest;
import org.junit.jupiter.api.Test;

/** Every answer carries the security headers, errors included; account-scoped answers are never cached. */
class SecurityHeadersTest extends IntegrationTest {

    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
        Person person = signUp("headers");
        var key = http.post("/api/keys", person.session(), Map.of("name", "k"));
        var signIn = http.post("/api/session", null, Map.of("email", person.email(), "password", person.password()));
        List<Http.Response> answers = List.of(key, signIn, http.get("/api/me", person.session()),
                http.get("/v1/models", key.json().get("key").asString()), http.get("/api/me", null),
                http.get("/no/such/page", null), http.get("/openapi.json", null));

        for (Http.Response answer : answers) {
            assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(answer.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(answer.header("Referrer-Policy")).isEqualTo("no-referrer");
            assertThat(answer.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
            assertThat(answer.header("Strict-Transport-Security")).as("not over plain HTTP").isNull();
        }
        // The answers that carry a key secret or a session token, and every account-scoped one, are never cached.
        for (Http.Response secret : List.of(key, signIn, answers.get(2), answers.get(3))) {
            assertThat(secret.header("Cache-Control")).isEqualTo("no-store");
        }
    }
}
