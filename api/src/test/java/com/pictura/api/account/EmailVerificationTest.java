package com.pictura.api.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;

import com.pictura.api.IntegrationTest;
import com.pictura.api.Mailbox;
import com.pictura.api.security.Secrets;
import org.junit.jupiter.api.Test;

/** The link in the sign-up mail, through the built-in outbox of the embedded default, as a person uses it. */
class EmailVerificationTest extends IntegrationTest {

    @Test
    void signUpSendsALinkThatVerifiesTheEmailOnce() {
        Person ida = signUpUnverified("ida");
        assertThat(http.get("/api/me", ida.session()).json().get("emailVerified").asBoolean()).isFalse();

        var mails = http.get("/api/outbox", ida.session());
        assertThat(mails.status()).isEqualTo(200);
        var mail = mails.json().get(0);
        assertThat(mail.get("to").asString()).isEqualTo(ida.email());
        // This server as people reach it (no PICTURA_PUBLIC_URL in the tests: itself on loopback).
        assertThat(mail.get("link").asString()).startsWith("http://127.0.0.1:" + port + "/#/verify-email?token=ev_");
        assertThat(mail.get("text").asString()).contains(mail.get("link").asString());
        assertThat(mail.get("sentAt").isNull()).isFalse();
        String token = Mailbox.verificationToken(http, ida.session());
        // Only the token's digest is kept.
        assertThat(jdbc.sql("select count(*) from email_verifications where token_hash = ? and account_id = ?")
                .params(Secrets.sha256(token), ida.accountId()).query(Long.class).single()).isEqualTo(1L);

        // Public: opened without being signed in.
        var verified = http.post("/api/email-verifications", null, Map.of("token", token));
        var again = http.post("/api/email-verifications", null, Map.of("token", token));

        assertThat(verified.status()).as(verified.body()).isEqualTo(204);
        assertThat(http.get("/api/me", ida.session()).json().get("emailVerified").asBoolean()).isTrue();
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.json().at("/error/param").asString()).isEqualTo("token");
        assertThat(again.json().at("/error/message").asString()).contains("already used");
        // The fact is the account's event, caused by its owner, naming the address.
        assertThat(jdbc.sql("""
                        select count(*) from domain_event_entry where aggregate_identifier = ?
                         and payload_type like '%EmailVerified' and convert_from(payload, 'UTF8') like ?""")
                .params(ida.accountId(), "%" + ida.email() + "%").query(Long.class).single()).isEqualTo(1L);
    }

    @Test
    void anExpiredLinkIsRefusedAndVerifiesNothing() {
        Person old = signUpUnverified("late");
        String token = Mailbox.verificationToken(http, old.session());
        // The link's 24 hours are over.
        jdbc.sql("update email_verifications set expires_at = ? where token_hash = ?")
                .params(Timestamp.from(Instant.now().minusSeconds(1)), Secrets.sha256(token)).update();

        var expired = http.post("/api/email-verifications", null, Map.of("token", token));

        assertThat(expired.status()).isEqualTo(400);
        assertThat(expired.json().at("/error/param").asString()).isEqualTo("token");
        assertThat(expired.json().at("/error/message").asString()).contains("expired");
        assertThat(http.get("/api/me", old.session()).json().get("emailVerified").asBoolean()).isFalse();
        assertThat(jdbc.sql("select used_at from email_verifications where token_hash = ?")
                .param(Secrets.sha256(token)).query(Timestamp.class).optional()).isEmpty();
    }

    @Test
    void unknownMissingAndMalformedTokensAreRefused() {
        for (Object body : new Object[] {Map.of("token", Secrets.generate("ev_")), Map.of("token", "pk_nope"),
                Map.of(), "{\"token\":null}"}) {
            var refused = http.post("/api/email-verifications", null, body);
            assertThat(refused.status()).as(body.toString()).isEqualTo(400);
            assertThat(refused.json().at("/error/param").asString()).as(body.toString()).isEqualTo("token");
        }
        assertThat(http.post("/api/email-verifications", null, Map.of("token", 42)).status()).isEqualTo(400);
    }

    @Test
    void keysAreRefusedUntilTheEmailIsVerified() {
        Person kim = signUpUnverified("kim");

        var refused = http.post("/api/keys", kim.session(), Map.of("name", "too early"));

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().at("/error/code").asString()).isEqualTo("email_not_verified");
        assertThat(jdbc.sql("select count(*) from api_keys where account_id = ?").param(kim.accountId())
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select count(*) from domain_event_entry where payload_type like '%ApiKeyIssued' "
                + "and convert_from(payload, 'UTF8') like ?").param("%" + kim.accountId() + "%")
                .query(Long.class).single()).isZero();

        Mailbox.verifyEmail(http, kim.session());

        assertThat(http.post("/api/keys", kim.session(), Map.of("name", "now")).status()).isEqualTo(201);
    }

    @Test
    void aFreshLinkIsThrottledAndAnyUnusedLinkStillWorks() {
        Person lea = signUpUnverified("lea");
        String first = Mailbox.verificationToken(http, lea.session());
        // The sign-up's mail went out a moment ago.
        var tooSoon = http.post("/api/me/verification-mail", lea.session(), Map.of());
        assertThat(tooSoon.status()).isEqualTo(429);
        assertThat(Long.parseLong(tooSoon.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(http.get("/api/outbox", lea.session()).json().size()).isEqualTo(1);

        // A minute later.
        jdbc.sql("update email_verifications set created_at = created_at - interval '61 seconds' where account_id = ?")
                .param(lea.accountId()).update();
        var fresh = http.post("/api/me/verification-mail", lea.session(), Map.of());

        assertThat(fresh.status()).as(fresh.body()).isEqualTo(202);
        assertThat(fresh.json().get("to").asString()).isEqualTo(lea.email());
        String second = Mailbox.verificationToken(http, lea.session());
        assertThat(second).isNotEqualTo(first);
        assertThat(http.post("/api/email-verifications", null, Map.of("token", first)).status()).isEqualTo(204);
        // Verified: the other link changes nothing, and no more links are sent.
        assertThat(http.post("/api/email-verifications", null, Map.of("token", second)).status()).isEqualTo(204);
        jdbc.sql("update email_verifications set created_at = created_at - interval '61 seconds' where account_id = ?")
                .param(lea.accountId()).update();
        var done = http.post("/api/me/verification-mail", lea.session(), Map.of());
        assertThat(done.status()).isEqualTo(409);
        assertThat(done.json().at("/error/code").asString()).isEqualTo("email_already_verified");
        assertThat(jdbc.sql("select count(*) from domain_event_entry where aggregate_identifier = ? "
                + "and payload_type like '%EmailVerified'").param(lea.accountId()).query(Long.class).single())
                .isEqualTo(1L);
    }

    @Test
    void theOutboxShowsOnlyTheCallersOwnMail() {
        Person mia = signUpUnverified("mia");
        Person ned = signUpUnverified("ned");

        var miasMail = http.get("/api/outbox", mia.session()).json();
        var nedsMail = http.get("/api/outbox", ned.session()).json();

        assertThat(miasMail.size()).isEqualTo(1);
        assertThat(miasMail.get(0).get("to").asString()).isEqualTo(mia.email());
        assertThat(nedsMail.size()).isEqualTo(1);
        assertThat(nedsMail.get(0).get("to").asString()).isEqualTo(ned.email());
        assertThat(miasMail.get(0).get("link").asString()).isNotEqualTo(nedsMail.get(0).get("link").asString());
        assertThat(http.get("/api/outbox", null).status()).isEqualTo(401);
    }
}
