package com.pictura.api.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.pictura.api.IntegrationTest;
import org.junit.jupiter.api.Test;

class PasswordChangeTest extends IntegrationTest {

    private static final String NEW_PASSWORD = "a much longer new passphrase";

    @Test
    void theNewPasswordReplacesTheOldAndEveryOtherSessionEnds() {
        Person olga = signUp("olga");
        String laptop = signIn(olga.email(), olga.password());
        String phone = signIn(olga.email(), olga.password());

        var changed = http.post("/api/me/password", olga.session(),
                Map.of("currentPassword", olga.password(), "newPassword", NEW_PASSWORD));

        assertThat(changed.status()).as(changed.body()).isEqualTo(204);
        assertThat(http.get("/api/me", olga.session()).status()).as("the session that changed it").isEqualTo(200);
        assertThat(http.get("/api/me", laptop).status()).isEqualTo(401);
        assertThat(http.get("/api/me", phone).status()).isEqualTo(401);
        assertThat(http.post("/api/session", null, Map.of("email", olga.email(), "password", olga.password()))
                .status()).isEqualTo(401);
        assertThat(signIn(olga.email(), NEW_PASSWORD)).startsWith("ps_");
        // The owner is told, in their mailbox.
        assertThat(http.get("/api/outbox", olga.session()).json().get(0).get("subject").asString())
                .isEqualTo("Your Pictura password was changed");
    }

    @Test
    void aWrongCurrentPasswordChangesNothing() {
        Person pia = signUp("pia");
        String other = signIn(pia.email(), pia.password());

        var refused = http.post("/api/me/password", pia.session(),
                Map.of("currentPassword", "not the password at all", "newPassword", NEW_PASSWORD));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().at("/error/param").asString()).isEqualTo("currentPassword");
        assertThat(http.get("/api/me", other).status()).isEqualTo(200);
        assertThat(signIn(pia.email(), pia.password())).startsWith("ps_");
        assertThat(http.post("/api/session", null, Map.of("email", pia.email(), "password", NEW_PASSWORD))
                .status()).isEqualTo(401);
    }

    @Test
    void aWeakOrMissingNewPasswordIsRefusedByName() {
        Person quinn = signUp("quinn");

        var weak = http.post("/api/me/password", quinn.session(),
                Map.of("currentPassword", quinn.password(), "newPassword", "short"));
        var missing = http.post("/api/me/password", quinn.session(), Map.of("currentPassword", quinn.password()));
        var same = http.post("/api/me/password", quinn.session(),
                Map.of("currentPassword", quinn.password(), "newPassword", quinn.password()));
        var noCurrent = http.post("/api/me/password", quinn.session(), Map.of("newPassword", NEW_PASSWORD));

        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.json().at("/error/param").asString()).isEqualTo("newPassword");
        assertThat(missing.json().at("/error/param").asString()).isEqualTo("newPassword");
        assertThat(same.json().at("/error/param").asString()).isEqualTo("newPassword");
        assertThat(noCurrent.json().at("/error/param").asString()).isEqualTo("currentPassword");
        assertThat(signIn(quinn.email(), quinn.password())).startsWith("ps_");
    }

    private String signIn(String email, String password) {
        var session = http.post("/api/session", null, Map.of("email", email, "password", password));
        assertThat(session.status()).as(session.body()).isEqualTo(200);
        return session.json().get("token").asString();
    }
}
