package com.pictura.api.staff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.pictura.api.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Staff over HTTP: the configured first admin grants roles; support finds and corrects accounts only through
 * compensating commands (four-eyes above the threshold, 100 credits); auditors read the history and prove
 * balances from the events; each role reaches only its own routes, and only with a recent sign-in.
 */
class StaffTest extends StaffTestBase {

    private static final String IMAGE = Http.json(Map.of("model", "flux-schnell", "prompt", "a lighthouse",
            "size", "256x256")); // charged 0.08
    private Person support;
    private Person secondSupport;
    private Person auditor;

    @BeforeEach
    void staff() {
        support = withRole(signUp("support"), "SUPPORT");
        secondSupport = withRole(signUp("support-two"), "SUPPORT");
        auditor = withRole(signUp("auditor"), "AUDITOR");
    }

    @Test
    void eachRoleReachesOnlyItsOwnRoutes() {
        Person user = signUp("plain-user");
        assertThat(http.get("/admin/accounts?q=" + user.email(), user.session()).status()).isEqualTo(403);
        assertThat(http.get("/audit/verification", user.session()).status()).isEqualTo(403);
        assertThat(http.post("/admin/accounts/" + user.accountId() + "/roles/support/grant", user.session(),
                Map.of("reason", "me")).status()).isEqualTo(403);
        // SUPPORT cannot read the audit history; AUDITOR cannot correct a balance.
        assertThat(http.get("/audit/accounts/" + user.accountId() + "/events", support.session()).status()).isEqualTo(403);
        assertThat(http.post("/admin/accounts/" + user.accountId() + "/adjustments", auditor.session(),
                Map.of("amount", "5", "reason", "goodwill", "ticket", "T-1")).status()).isEqualTo(403);
        assertThat(http.get("/admin/accounts?q=" + user.email(), support.session()).status()).isEqualTo(200);
        assertThat(http.get("/audit/accounts/" + user.accountId() + "/events", auditor.session()).status()).isEqualTo(200);
    }

    @Test
    void supportFindsAnAccountByEmailIdOrKeyPrefix() {
        Person user = signUp("findme");
        String prefix = http.post("/api/keys", user.session(), Map.of("name", "k")).json().get("prefix").asString();

        for (String q : List.of(user.email().toUpperCase(), user.accountId(), prefix)) {
            var found = http.get("/admin/accounts?q=" + q, support.session());
            assertThat(found.status()).as(q).isEqualTo(200);
            assertThat(found.json().size()).as(q).isEqualTo(1);
            assertThat(found.json().at("/0/id").asString()).isEqualTo(user.accountId());
            assertThat(found.json().at("/0/keys/0/prefix").asString()).isEqualTo(prefix);
        }
        assertThat(http.get("/admin/accounts?q=nobody@example.com", support.session()).json().size()).isZero();
    }

    @Test
    void aSmallAdjustmentAppliesAtOnceAndNeedsAReasonAndATicket() {
        Person user = signUp("adjusted");
        String path = "/admin/accounts/" + user.accountId() + "/adjustments";

        assertThat(http.post(path, support.session(), Map.of("amount", "5", "ticket", "T-1")).json()
                .at("/error/param").asString()).isEqualTo("reason");
        assertThat(http.post(path, support.session(), Map.of("amount", "5", "reason", "goodwill")).json()
                .at("/error/param").asString()).isEqualTo("ticket");
        var applied = http.post(path, support.session(), Map.of("amount", "5", "reason", "goodwill", "ticket", "T-1",
                "adjustmentId", "adj_once_" + user.accountId()));
        var repeated = http.post(path, support.session(), Map.of("amount", "5", "reason", "goodwill", "ticket", "T-1",
                "adjustmentId", "adj_once_" + user.accountId()));

        assertThat(applied.status()).as(applied.body()).isEqualTo(201);
        assertThat(repeated.status()).as("a retried request adjusts once").isEqualTo(201);
        awaitAvailable(user, "30.000000");
        JsonNode adjusted = events(user, "CreditsAdjusted");
        assertThat(adjusted.size()).isEqualTo(1);
        assertThat(adjusted.at("/0/metadata/actor").asString()).contains(support.accountId());
        assertThat(adjusted.at("/0/metadata/reason").asString()).isEqualTo("goodwill");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(http.get("/audit/staff-actions?staff=staff:"
                + support.accountId(), auditor.session()).json().findValuesAsString("action")).contains("CreditsAdjusted"));
    }

    @Test
    void aLargeAdjustmentChangesNothingUntilASecondStaffMemberApprovesIt() {
        Person user = signUp("four-eyes");
        var requested = http.post("/admin/accounts/" + user.accountId() + "/adjustments", support.session(),
                Map.of("amount", "250", "reason", "outage credit", "ticket", "T-9"));
        assertThat(requested.status()).as(requested.body()).isEqualTo(202);
        String decide = "/admin/accounts/" + user.accountId() + "/adjustments/" + requested.json().get("id").asString();

        var own = http.post(decide + "/approve", support.session(), Map.of("reason", "looks right"));
        assertThat(own.status()).as("nobody approves their own request").isEqualTo(409);
        assertThat(events(user, "CreditsAdjusted").size()).as("pending: nothing applied").isZero();
        awaitAvailable(user, "25.000000");

        var approved = http.post(decide + "/approve", secondSupport.session(), Map.of("reason", "checked the ticket"));
        assertThat(approved.status()).as(approved.body()).isEqualTo(204);
        awaitAvailable(user, "275.000000");
        assertThat(http.post(decide + "/reject", secondSupport.session(), Map.of("reason", "too late")).status())
                .as("a decided request stays decided").isEqualTo(409);
    }

    @Test
    void aChargeIsRefundedAtMostOnceAndNeverBeyondWhatWasCharged() {
        Person user = signUp("refunded");
        String key = http.post("/api/keys", user.session(), Map.of("name", "k")).json().get("key").asString();
        assertThat(http.post("/v1/images/generations", key, IMAGE).status()).isEqualTo(200);
        awaitAvailable(user, "24.920000");
        String reservation = events(user, "UsageCharged").at("/0/payload/reservationId").asString();
        String path = "/admin/accounts/" + user.accountId() + "/refunds";

        var tooMuch = http.post(path, support.session(), Map.of("reservationId", reservation, "amount", "0.09",
                "reason", "bad image"));
        var refund = Map.of("reservationId", reservation, "amount", "0.08", "reason", "bad image", "refundId",
                "rfd_" + user.accountId().substring(5));
        var refunded = http.post(path, support.session(), refund);
        var again = http.post(path, support.session(), refund);
        var another = http.post(path, support.session(), Map.of("reservationId", reservation, "amount", "0.01",
                "reason", "bad image"));

        assertThat(tooMuch.status()).as(tooMuch.body()).isEqualTo(409);
        assertThat(refunded.status()).as(refunded.body()).isEqualTo(201);
        assertThat(again.status()).as("the same refund repeated").isEqualTo(201);
        assertThat(another.status()).as("nothing left to refund").isEqualTo(409);
        awaitAvailable(user, "25.000000");
        assertThat(events(user, "ChargeRefunded").size()).isEqualTo(1);
    }

    @Test
    void suspensionStopsKeysUntilReinstatementAndTerminationClosesTheWalletForGood() {
        Person user = signUp("lifecycle");
        String key = http.post("/api/keys", user.session(), Map.of("name", "k")).json().get("key").asString();
        String account = "/admin/accounts/" + user.accountId();

        assertThat(http.post(account + "/suspend", support.session(), Map.of()).status()).as("a reason is required")
                .isEqualTo(400);
        assertThat(http.post(account + "/suspend", support.session(), Map.of("reason", "chargeback")).status())
                .isEqualTo(204);
        assertThat(http.get("/v1/models", key).status()).isEqualTo(403);
        assertThat(http.post(account + "/reinstate", support.session(), Map.of("reason", "resolved")).status())
                .isEqualTo(204);
        assertThat(http.get("/v1/models", key).status()).isEqualTo(200);

        assertThat(http.post(account + "/terminate", support.session(), Map.of("reason", "abuse")).status())
                .isEqualTo(204);
        assertThat(http.get("/v1/models", key).status()).isEqualTo(403);
        await().atMost(Duration.ofSeconds(20)).until(() -> events(user, "CreditsForfeited").size() == 1);
        assertThat(http.get("/api/me", user.session()).status()).as("its sessions end").isIn(401, 403);
        var adjusted = http.post(account + "/adjustments", support.session(),
                Map.of("amount", "5", "reason", "sorry", "ticket", "T-3"));
        assertThat(adjusted.status()).as("a closed wallet stays closed: " + adjusted.body()).isEqualTo(403);
    }

    @Test
    void supportRevokesAKeyAtOnce() {
        Person user = signUp("revoked-by-staff");
        var issued = http.post("/api/keys", user.session(), Map.of("name", "leaked")).json();

        assertThat(http.post("/admin/keys/" + issued.get("id").asString() + "/revoke", support.session(),
                Map.of("reason", "published on GitHub")).status()).isEqualTo(204);

        assertThat(http.get("/v1/models", issued.get("key").asString()).status()).isEqualTo(401);
    }

    @Test
    void staffActionsNeedARecentSignIn() {
        jdbc.sql("update sessions set created_at = created_at - interval '2 hours' where account_id = ?")
                .param(support.accountId()).update();

        var stale = http.get("/admin/accounts?q=" + support.email(), support.session());

        assertThat(stale.status()).isEqualTo(401);
        assertThat(stale.json().at("/error/code").asString()).isEqualTo("reauthentication_required");
        assertThat(http.get("/api/me", support.session()).status()).as("the session itself still works").isEqualTo(200);
    }

    @Test
    void theBalanceAsOfAnInstantIsTheBalanceTheAccountHadThen() {
        Person user = signUp("history");
        String key = http.post("/api/keys", user.session(), Map.of("name", "k")).json().get("key").asString();
        Instant afterSignUp = Instant.now();
        http.post("/admin/accounts/" + user.accountId() + "/adjustments", support.session(),
                Map.of("amount", "10", "reason", "goodwill", "ticket", "T-4"));
        Instant afterAdjustment = Instant.now();
        assertThat(http.post("/v1/images/generations", key, IMAGE).status()).isEqualTo(200);
        awaitAvailable(user, "34.920000");
        Instant afterCall = Instant.now();

        assertThat(balanceAt(user, afterSignUp)).isEqualTo("25.000000");
        assertThat(balanceAt(user, afterAdjustment)).isEqualTo("35.000000");
        assertThat(balanceAt(user, afterCall)).isEqualTo("34.920000");
        assertThat(balanceAt(user, afterSignUp.minus(Duration.ofDays(1)))).isEqualTo("0.000000");
    }

    @Test
    void verificationNamesAWalletWhoseReadModelDisagreesWithItsEvents() {
        Person user = signUp("verified");
        String wallet = "wal_" + user.accountId().substring("acct_".length());
        awaitAvailable(user, "25.000000");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(differences()).doesNotContain(wallet));

        jdbc.sql("update wallet_balances set paid = paid + 1 where wallet_id = ?").param(wallet).update();

        assertThat(differences()).contains(wallet);
    }

    @Test
    void theFirstAdminComesFromConfigurationAndGrantsAndRevokesRoles() {
        Person user = signUp("promoted");
        assertThat(http.get("/api/me", admin.session()).json().get("roles").toString()).contains("ADMIN");
        assertThat(http.post("/admin/accounts/" + user.accountId() + "/roles/auditor/grant", admin.session(),
                Map.of()).status()).as("a reason is required").isEqualTo(400);

        withRole(user, "AUDITOR");
        assertThat(http.get("/audit/verification", user.session()).status()).isEqualTo(200);
        assertThat(http.post("/admin/accounts/" + user.accountId() + "/roles/auditor/revoke", admin.session(),
                Map.of("reason", "left the team")).status()).isEqualTo(204);
        assertThat(http.get("/audit/verification", user.session()).status()).isEqualTo(403);
    }

    private JsonNode events(Person user, String type) {
        var events = http.get("/audit/accounts/" + user.accountId() + "/events?type=" + type, auditor.session());
        assertThat(events.status()).as(events.body()).isEqualTo(200);
        return events.json();
    }

    private String balanceAt(Person user, Instant at) {
        return http.get("/audit/accounts/" + user.accountId() + "/balance?at=" + at, auditor.session()).json()
                .get("available").asString();
    }

    private List<String> differences() {
        var verification = http.get("/audit/verification", auditor.session());
        assertThat(verification.status()).as(verification.body()).isEqualTo(200);
        return verification.json().get("differences").findValuesAsString("walletId");
    }

    private void awaitAvailable(Person user, String credits) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(http.get("/api/me", user.session())
                .json().at("/balance/available").asString()).isEqualTo(credits));
    }
}
