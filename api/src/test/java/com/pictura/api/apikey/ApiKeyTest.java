package com.pictura.api.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.pictura.api.IntegrationTest;
import com.pictura.api.security.Secrets;
import org.junit.jupiter.api.Test;

class ApiKeyTest extends IntegrationTest {

    @Test
    void anIssuedKeyIsShownOnceAndStoredOnlyAsAHash() {
        Person owner = signUp("keys");

        var issued = http.post("/api/keys", owner.session(), Map.of("name", "laptop"));

        assertThat(issued.status()).isEqualTo(201);
        String secret = issued.json().get("key").asString();
        assertThat(secret).startsWith("pk_").hasSizeGreaterThanOrEqualTo(3 + 43);
        assertThat(issued.json().get("prefix").asString()).isEqualTo(secret.substring(0, 10));
        assertThat(jdbc.sql("select secret_hash from api_keys where key_id = ?").param(issued.json().get("id").asString())
                .query(String.class).single()).isEqualTo(Secrets.sha256(secret));

        var listed = http.get("/api/keys", owner.session());
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body()).doesNotContain(secret).contains("laptop").contains("\"lastUsedAt\":null");
    }

    @Test
    void aKeyUsedOnTheGatewayShowsWhenItWasLastUsed() {
        Person owner = signUp("used");
        String key = http.post("/api/keys", owner.session(), Map.of("name", "ci")).json().get("key").asString();
        java.time.Instant before = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);

        assertThat(http.get("/v1/models", key).status()).isEqualTo(200);

        var listed = http.get("/api/keys", owner.session()).json();
        java.time.Instant lastUsed = java.time.Instant.parse(listed.get(0).get("lastUsedAt").asString());
        assertThat(lastUsed).isBetween(before, java.time.Instant.now());
    }

    @Test
    void aRevokedKeyIsListedAsInactiveAtOnce() {
        Person owner = signUp("revoker");
        String id = http.post("/api/keys", owner.session(), Map.of("name", "old")).json().get("id").asString();

        assertThat(http.delete("/api/keys/" + id, owner.session()).status()).isEqualTo(204);

        var listed = http.get("/api/keys", owner.session()).json();
        assertThat(listed.get(0).get("active").asBoolean()).isFalse();
        java.time.Instant revokedAt = java.time.Instant.parse(listed.get(0).get("revokedAt").asString());
        assertThat(revokedAt).isBetween(java.time.Instant.now().minusSeconds(10), java.time.Instant.now());
    }

    @Test
    void nobodyCanRevokeOrSeeAnotherAccountsKeys() {
        Person owner = signUp("owner");
        Person stranger = signUp("stranger");
        String id = http.post("/api/keys", owner.session(), Map.of("name", "mine")).json().get("id").asString();

        assertThat(http.delete("/api/keys/" + id, stranger.session()).status()).isEqualTo(404);
        assertThat(http.get("/api/keys", stranger.session()).json().size()).isZero();
        assertThat(http.get("/api/keys", owner.session()).json().get(0).get("active").asBoolean()).isTrue();
    }

    @Test
    void anAccountHasAtMostTwentyFiveActiveKeys() {
        Person owner = signUp("hoarder");
        String first = null;
        for (int i = 0; i < 25; i++) {
            var issued = http.post("/api/keys", owner.session(), Map.of("name", "key " + i));
            assertThat(issued.status()).isEqualTo(201);
            first = first == null ? issued.json().get("id").asString() : first;
        }

        var twentySixth = http.post("/api/keys", owner.session(), Map.of("name", "one too many"));
        assertThat(twentySixth.status()).isEqualTo(409);
        assertThat(twentySixth.json().at("/error/code").asString()).isEqualTo("too_many_keys");

        http.delete("/api/keys/" + first, owner.session());
        assertThat(http.post("/api/keys", owner.session(), Map.of("name", "replacement")).status()).isEqualTo(201);
    }

    @Test
    void keysNeedASessionAndAName() {
        Person owner = signUp("nameless");

        assertThat(http.post("/api/keys", null, Map.of("name", "x")).status()).isEqualTo(401);
        assertThat(http.post("/api/keys", "ps_forged", Map.of("name", "x")).status()).isEqualTo(401);
        var blank = http.post("/api/keys", owner.session(), Map.of("name", "  "));
        assertThat(blank.status()).isEqualTo(400);
        assertThat(blank.json().at("/error/param").asString()).isEqualTo("name");
    }
}
