package com.pictura.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * What a person does with the mail Pictura sends them, through the built-in outbox of the embedded default
 * ({@code GET /api/outbox}): read the newest verification link and open it, as the dashboard's
 * {@code #/verify-email} page does.
 */
public final class Mailbox {

    private Mailbox() {
    }

    /** The body of {@code POST /api/accounts} for a person who is 18+ and accepts the terms. */
    public static Map<String, Object> signUpBody(String email, String password) {
        return Map.of("email", email, "password", password, "ageConfirmed", true, "termsAccepted", true);
    }

    /** The token of the newest verification link in the mailbox of the session's account. */
    public static String verificationToken(Http http, String session) {
        var outbox = http.get("/api/outbox", session);
        assertThat(outbox.status()).as(outbox.body()).isEqualTo(200);
        for (JsonNode mail : outbox.json()) {
            String link = mail.path("link").isString() ? mail.path("link").asString() : "";
            if (link.contains("#/verify-email?token=")) {
                return link.substring(link.indexOf("token=") + "token=".length());
            }
        }
        throw new AssertionError("no verification link in the outbox: " + outbox.body());
    }

    /** Opens the newest verification link of the session's account. */
    public static void verifyEmail(Http http, String session) {
        var verified = http.post("/api/email-verifications", null, Map.of("token", verificationToken(http, session)));
        assertThat(verified.status()).as(verified.body()).isEqualTo(204);
    }
}
