package com.pictura.api.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.pictura.api.IntegrationTest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class SignUpTest extends IntegrationTest {

    @Autowired
    MeterRegistry meters;
    @Autowired
    DataSource dataSource;

    @Test
    void theFirstLookAfterSignUpShowsTheFreeCreditsWithoutWaiting() {
        // The balance read model runs behind the ledger; /api/me reads it no earlier than the wallet's last event.
        for (int i = 0; i < 10; i++) {
            Person person = signUp("fresh");
            var me = http.get("/api/me", person.session());
            assertThat(me.json().at("/balance/available").asString()).as("attempt " + i).isEqualTo("25.000000");
        }
    }

    @Test
    void signUpGivesExactlyTwentyFiveCredits() {
        Person ada = signUp("ada");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var me = http.get("/api/me", ada.session());
            assertThat(me.status()).isEqualTo(200);
            assertThat(me.json().at("/balance/available").asString()).isEqualTo("25.000000");
            assertThat(me.json().at("/balance/promotional").asString()).isEqualTo("25.000000");
            assertThat(me.json().at("/balance/paid").asString()).isEqualTo("0.000000");
        });
        assertThat(jdbc.sql("select count(*) from domain_event_entry where payload_type like '%CreditsGranted'"
                + " and aggregate_identifier = ?").param("wal_" + ada.accountId().substring(5))
                .query(Long.class).single()).isEqualTo(1L);
    }

    @Test
    void theSameEmailInAnotherCaseOrWithSpacesIsRefused() {
        String email = uniqueEmail("twin");
        assertThat(register(email).status()).isEqualTo(201);

        var again = register("  " + email.toUpperCase() + " ");

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().at("/error/code").asString()).isEqualTo("email_taken");
        assertThat(accountsWithEmail(email)).isEqualTo(1L);
    }

    @Test
    void hundredConcurrentSignUpsWithOneEmailCreateOneAccount() throws Exception {
        String email = uniqueEmail("crowd");
        long eventsBefore = count("domain_event_entry");
        long accountsBefore = count("accounts");
        long credentialsBefore = count("account_credentials");
        long verificationsBefore = count("email_verifications");
        long mailsBefore = count("mail_outbox");
        int attempts = 100;
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        CountDownLatch ready = new CountDownLatch(attempts);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                statuses.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return register(email).status();
                }));
            }
            // Every thread waits at the gate before any request is sent, so they really run at once.
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<Integer> results = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                results.add(status.get(60, TimeUnit.SECONDS));
            }

            assertThat(results).containsOnly(201, 409);
            assertThat(results).filteredOn(s -> s == 201).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(accountsWithEmail(email)).isEqualTo(1L);
        // One account, one wallet, one grant, one password hash in the whole database: the losers left nothing
        // behind, not even credentials without an account.
        assertThat(count("domain_event_entry") - eventsBefore).isEqualTo(4L);
        assertThat(count("accounts") - accountsBefore).isEqualTo(1L);
        assertThat(count("account_credentials") - credentialsBefore).isEqualTo(1L);
        // One verification link and one mail: a refused sign-up's mail rolled back with it.
        assertThat(count("email_verifications") - verificationsBefore).isEqualTo(1L);
        assertThat(count("mail_outbox") - mailsBefore).isEqualTo(1L);
        assertThat(jdbc.sql("select count(*) from account_credentials c left join accounts a using (account_id) "
                + "where a.account_id is null").query(Long.class).single()).as("credentials without an account").isZero();
        // Whether any of them passed the lookup while the winner was still writing depends on the machine's timing;
        // the next test makes that happen for certain.
    }

    @Test
    void aSignUpThatPassedTheLookupWhileAnotherCommittedIsRefusedByTheConstraint() throws Exception {
        String email = uniqueEmail("constraint");
        double constraintBefore = constraintRefusals();
        long accountsBefore = count("accounts");
        long credentialsBefore = count("account_credentials");
        long mailsBefore = count("mail_outbox");
        long verificationsBefore = count("email_verifications");
        // Another sign-up's account row, written and not yet committed: the lookup cannot see it, so this request
        // gets past the lookup and then waits on the unique index until the other commits.
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement insert = other.prepareStatement("insert into accounts (account_id, email, status, "
                    + "registered_at, updated_at) values (?, ?, 'ACTIVE', now(), now())")) {
                insert.setString(1, "acc_constraint" + System.nanoTime());
                insert.setString(2, email);
                insert.executeUpdate();
            }
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<Integer> status = pool.submit(() -> register(email).status());
                await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql("select count(*) from pg_stat_activity "
                        + "where wait_event_type = 'Lock' and query like 'insert into accounts%'")
                        .query(Long.class).single() > 0);
                other.commit();

                assertThat(status.get(30, TimeUnit.SECONDS)).isEqualTo(409);
            } finally {
                pool.shutdownNow();
                try (var delete = other.prepareStatement("delete from accounts where email = ?")) {
                    delete.setString(1, email);
                    delete.executeUpdate();
                    other.commit();
                }
            }
        }
        assertThat(constraintRefusals() - constraintBefore).isEqualTo(1.0);
        // The refused request left nothing: its credentials, link and mail rolled back with its events.
        assertThat(count("accounts")).isEqualTo(accountsBefore);
        assertThat(count("account_credentials")).isEqualTo(credentialsBefore);
        assertThat(count("email_verifications")).isEqualTo(verificationsBefore);
        assertThat(count("mail_outbox")).isEqualTo(mailsBefore);
    }

    private long count(String table) {
        return jdbc.sql("select count(*) from " + table).query(Long.class).single();
    }

    private double constraintRefusals() {
        Counter counter = meters.find("pictura.signup.email.taken").tag("guard", "constraint").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void signUpNeedsAgeConfirmationAValidEmailAndALongPassword() {
        var noAge = http.post("/api/accounts", null,
                Map.of("email", uniqueEmail("young"), "password", "long enough password", "ageConfirmed", false, "termsAccepted", true));
        var badEmail = http.post("/api/accounts", null,
                Map.of("email", "not-an-email", "password", "long enough password", "ageConfirmed", true, "termsAccepted", true));
        var shortPassword = http.post("/api/accounts", null,
                Map.of("email", uniqueEmail("short"), "password", "short", "ageConfirmed", true, "termsAccepted", true));
        var notJson = http.post("/api/accounts", null, "{not json");

        assertThat(noAge.status()).isEqualTo(400);
        assertThat(noAge.json().at("/error/param").asString()).isEqualTo("ageConfirmed");
        assertThat(badEmail.status()).isEqualTo(400);
        assertThat(badEmail.json().at("/error/param").asString()).isEqualTo("email");
        assertThat(shortPassword.status()).isEqualTo(400);
        assertThat(shortPassword.json().at("/error/param").asString()).isEqualTo("password");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().at("/error/type").asString()).isEqualTo("invalid_request_error");
    }

    @Test
    void signInChecksThePasswordAndSignOutEndsTheSession() {
        Person bob = signUp("bob");

        var wrong = http.post("/api/session", null, Map.of("email", bob.email(), "password", "wrong password!!"));
        var unknown = http.post("/api/session", null, Map.of("email", "nobody@example.com", "password", "whatever12345"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(wrong.json().at("/error/message").asString()).isEqualTo(unknown.json().at("/error/message").asString());

        assertThat(http.get("/api/me", bob.session()).status()).isEqualTo(200);
        assertThat(http.delete("/api/session", bob.session()).status()).isEqualTo(204);
        assertThat(http.get("/api/me", bob.session()).status()).isEqualTo(401);
    }

    private com.pictura.api.Http.Response register(String email) {
        return http.post("/api/accounts", null,
                Map.of("email", email, "password", "correct horse battery staple", "ageConfirmed", true, "termsAccepted", true));
    }

    private long accountsWithEmail(String email) {
        return jdbc.sql("select count(*) from accounts where email = ?").param(email.strip().toLowerCase())
                .query(Long.class).single();
    }

    @Test
    void passwordGuessingIsThrottledPerEmail() throws InterruptedException {
        // Failures are counted in 15-minute windows: start well inside one.
        long intoWindow = java.time.Instant.now().getEpochSecond() % 900;
        if (intoWindow > 890) {
            Thread.sleep((901 - intoWindow) * 1000);
        }
        Person target = signUp("target");
        for (int i = 0; i < 10; i++) {
            assertThat(http.post("/api/session", null, Map.of("email", target.email(), "password", "guess number " + i))
                    .status()).isEqualTo(401);
        }

        var throttled = http.post("/api/session", null, Map.of("email", target.email(), "password", target.password()));

        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.json().at("/error/code").asString()).isEqualTo("too_many_sign_in_attempts");
        assertThat(Long.parseLong(throttled.header("Retry-After"))).isBetween(1L, 900L);
        // Other people are not affected, and the throttled account's sessions still work.
        assertThat(http.post("/api/session", null, Map.of("email", uniqueEmail("nobody"), "password", "x"))
                .status()).isEqualTo(401);
        assertThat(http.get("/api/me", target.session()).status()).isEqualTo(200);
    }
}
