package com.pictura.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.pictura.api.Http;
import com.pictura.api.IntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * The session cookie rides along with requests other sites' pages make, so a change made with the cookie alone
 * needs this site's origin; programs that send the bearer token are not concerned.
 */
class CrossSiteRequestTest extends IntegrationTest {

    @Test
    void aCrossSiteRequestWithTheCookieChangesNothing() {
        Person person = signUp("csrf");
        String cookie = SessionAuthentication.COOKIE + "=" + person.session();
        String body = Http.json(Map.of("name", "planted"));

        var crossSite = http.postRaw("/api/keys", "application/json", body, "Cookie", cookie,
                "Origin", "https://evil.example");
        var noOrigin = http.postRaw("/api/keys", "application/json", body, "Cookie", cookie);
        var foreignReferer = http.postRaw("/api/keys", "application/json", body, "Cookie", cookie,
                "Referer", "https://evil.example/page");

        for (Http.Response refused : new Http.Response[] {crossSite, noOrigin, foreignReferer}) {
            assertThat(refused.status()).as(refused.body()).isEqualTo(403);
            assertThat(refused.json().at("/error/code").asString()).isEqualTo("cross_site_request");
        }
        assertThat(http.get("/api/keys", person.session()).json().size()).as("no key was planted").isZero();
    }

    @Test
    void theSameSiteWithTheCookieAndProgramsWithTheTokenStillWork() {
        Person person = signUp("csrf-ok");
        String body = Http.json(Map.of("name", "mine"));

        var sameSite = http.postRaw("/api/keys", "application/json", body, "Cookie",
                SessionAuthentication.COOKIE + "=" + person.session(), "Origin", "http://127.0.0.1:" + port);
        var program = http.postRaw("/api/keys", "application/json", body, "Authorization",
                "Bearer " + person.session(), "Origin", "https://evil.example");

        assertThat(sameSite.status()).as(sameSite.body()).isEqualTo(201);
        assertThat(program.status()).as(program.body()).isEqualTo(201);
    }
}
