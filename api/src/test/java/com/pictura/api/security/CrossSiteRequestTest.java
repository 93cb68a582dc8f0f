package com.pictura.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.HttpCookie;
import java.util.List;
import java.util.Map;

import com.pictura.api.Http;
import com.pictura.api.IntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * The session cookie rides along with requests other sites' pages make, so a change made with the cookie alone
 * must also echo the readable CSRF cookie in a header, which only this site's own pages can read; programs that
 * send the bearer token are not concerned.
 */
class CrossSiteRequestTest extends IntegrationTest {

    @Test
    void aCrossSiteRequestWithTheCookieChangesNothing() {
        Person person = signUp("csrf");
        String session = SessionAuthentication.COOKIE + "=" + person.session();
        String body = Http.json(Map.of("name", "planted"));

        // What a form or a fetch from another site can send: the cookies, but it cannot read the token.
        var noToken = http.postRaw("/api/keys", "application/json", body, "Cookie", session,
                "Origin", "https://evil.example");
        var guessed = http.postRaw("/api/keys", "application/json", body, "Cookie", session + "; XSRF-TOKEN=mine",
                "X-XSRF-TOKEN", "guessed");
        var revoke = http.postRaw("/api/keys/ak_nothing/revoke", "application/json", "{}", "Cookie", session);

        for (Http.Response refused : List.of(noToken, guessed, revoke)) {
            assertThat(refused.status()).as(refused.body()).isEqualTo(403);
            assertThat(refused.json().at("/error/code").asString()).isEqualTo("csrf_token_invalid");
        }
        assertThat(http.get("/api/keys", person.session()).json().size()).as("no key was planted").isZero();
    }

    @Test
    void thisSitesPagesWithTheTokenAndProgramsWithTheBearerTokenStillWork() {
        Person person = signUp("csrf-ok");
        String session = SessionAuthentication.COOKIE + "=" + person.session();
        String body = Http.json(Map.of("name", "mine"));

        HttpCookie csrf = cookie(http.getRaw("/api/me", "Cookie", session), "XSRF-TOKEN");
        var page = http.postRaw("/api/keys", "application/json", body, "Cookie",
                session + "; XSRF-TOKEN=" + csrf.getValue(), "X-XSRF-TOKEN", csrf.getValue());
        var program = http.postRaw("/api/keys", "application/json", body, "Authorization",
                "Bearer " + person.session(), "Origin", "https://evil.example");

        assertThat(page.status()).as(page.body()).isEqualTo(201);
        assertThat(program.status()).as(program.body()).isEqualTo(201);
        // The token lasts the browser's session: a page goes on making changes with it.
        var again = http.postRaw("/api/keys", "application/json", body, "Cookie",
                session + "; XSRF-TOKEN=" + csrf.getValue(), "X-XSRF-TOKEN", csrf.getValue());
        assertThat(again.status()).as(again.body()).isEqualTo(201);
        assertThat(page.headers().allValues("Set-Cookie")).as("the page keeps its token").isEmpty();
        assertThat(csrf.isHttpOnly()).as("the page's script must read it").isFalse();
    }

    @Test
    void theSessionCookieIsHiddenFromScriptsAndNotSentByOtherSites() {
        Person person = signUp("cookie");
        var signIn = http.post("/api/session", null, Map.of("email", person.email(), "password", person.password()));

        String setCookie = signIn.headers().allValues("Set-Cookie").stream()
                .filter(value -> value.startsWith(SessionAuthentication.COOKIE + "=")).findFirst().orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Lax").doesNotContain("Secure")
                .as("plain HTTP on loopback: a Secure cookie would never come back");
    }

    private static HttpCookie cookie(Http.Response response, String name) {
        return response.headers().allValues("Set-Cookie").stream().flatMap(value -> HttpCookie.parse(value).stream())
                .filter(cookie -> cookie.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " cookie in " + response.headers().map()));
    }
}
