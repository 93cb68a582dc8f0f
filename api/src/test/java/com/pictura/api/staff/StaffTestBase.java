package com.pictura.api.staff;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.pictura.api.IntegrationTest;
import com.pictura.api.Mailbox;
import org.junit.jupiter.api.BeforeEach;

/** Staff tests start from the configured first admin, who grants every other role over the API. */
abstract class StaffTestBase extends IntegrationTest {

    static final String FIRST_ADMIN = "first-admin@pictura.test"; // pictura.staff.bootstrap-admins in the tests
    private static final String PASSWORD = "correct horse battery staple";

    protected Person admin;

    @BeforeEach
    void firstAdmin() {
        // Signed up by whichever staff test runs first; signed in afresh (staff need a recent sign-in).
        http.post("/api/accounts", null, Map.of("email", FIRST_ADMIN, "password", PASSWORD, "ageConfirmed", true, "termsAccepted", true));
        var session = http.post("/api/session", null, Map.of("email", FIRST_ADMIN, "password", PASSWORD));
        assertThat(session.status()).as(session.body()).isEqualTo(200);
        admin = new Person(session.json().get("accountId").asString(), FIRST_ADMIN, PASSWORD,
                session.json().get("token").asString());
        if (!http.get("/api/me", admin.session()).json().get("emailVerified").asBoolean()) {
            Mailbox.verifyEmail(http, admin.session());
        }
    }

    protected Person withRole(Person person, String role) {
        var granted = http.post("/admin/accounts/" + person.accountId() + "/roles/" + role + "/grant", admin.session(),
                Map.of("reason", "joined the team"));
        assertThat(granted.status()).as(granted.body()).isEqualTo(204);
        return person;
    }
}
