package com.pictura.api.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import com.pictura.api.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class HousekeepingTest extends IntegrationTest {

    @Autowired
    Housekeeping housekeeping;

    @Test
    void expiredAndEndedSessionsGoButLiveOnesStay() {
        Person live = signUp("housekeeping");
        Instant past = Instant.now().minus(Duration.ofHours(1));
        jdbc.sql("insert into sessions (token_hash, account_id, created_at, expires_at) values ('expired-hash', ?, ?, ?)")
                .params(live.accountId(), Timestamp.from(past), Timestamp.from(past)).update();
        jdbc.sql("insert into sessions (token_hash, account_id, created_at, expires_at, ended_at) "
                + "values ('ended-hash', ?, ?, ?, ?)")
                .params(live.accountId(), Timestamp.from(past), Timestamp.from(Instant.now().plus(Duration.ofDays(1))),
                        Timestamp.from(past)).update();

        assertThat(housekeeping.sweep()).isEmpty();

        assertThat(jdbc.sql("select count(*) from sessions where token_hash in ('expired-hash', 'ended-hash')")
                .query(Long.class).single()).isZero();
        assertThat(http.get("/api/me", live.session()).status()).isEqualTo(200);
    }

    @Test
    void everyTableKeepsItsRowsForItsTimeAndNoLonger() {
        String id = java.util.UUID.randomUUID().toString();
        Instant now = Instant.now();
        Timestamp past = Timestamp.from(now.minusSeconds(1));
        Timestamp future = Timestamp.from(now.plus(Duration.ofHours(1)));
        for (String which : new String[] {"old", "new"}) {
            Timestamp expires = which.equals("old") ? past : future;
            jdbc.sql("insert into idempotency_records (key_id, idempotency_key, request_hash, state, created_at, "
                    + "expires_at) values (?, ?, 'h', 'done', ?, ?)").params("key_hk", id + which, past, expires).update();
            jdbc.sql("insert into image_results (image_id, png, expires_at) values (?, ?, ?)")
                    .params(id + which, new byte[] {1}, expires).update();
        }
        // Rate-limit windows are kept two minutes after they start, sign-in failure windows an hour.
        jdbc.sql("insert into rate_limit_windows (key_id, window_start, requests, tokens) values (?, ?, 1, 1), (?, ?, 1, 1)")
                .params("key_hk" + id, Timestamp.from(now.minus(Duration.ofMinutes(3))),
                        "key_hk" + id, Timestamp.from(now.minus(Duration.ofSeconds(90)))).update();
        jdbc.sql("insert into sign_in_failures (email, window_start, failures) values (?, ?, 1), (?, ?, 1)")
                .params(id + "@example.com", Timestamp.from(now.minus(Duration.ofMinutes(61))),
                        id + "@example.com", Timestamp.from(now.minus(Duration.ofMinutes(59)))).update();
        // Verification links go a day after they expire, mail after 30 days.
        jdbc.sql("insert into email_verifications (token_hash, account_id, email, created_at, expires_at) "
                + "values (?, 'acct_hk', 'hk@example.com', ?, ?), (?, 'acct_hk', 'hk@example.com', ?, ?)")
                .params(id + "old", past, Timestamp.from(now.minus(Duration.ofHours(25))),
                        id + "new", past, Timestamp.from(now.minus(Duration.ofHours(23)))).update();
        for (String which : new String[] {"old", "new"}) {
            Timestamp created = Timestamp.from(now.minus(Duration.ofDays(which.equals("old") ? 31 : 29)));
            jdbc.sql("insert into mail_outbox (mail_id, account_id, recipient, subject, body, created_at, sent_at, "
                    + "next_attempt_at) values (?, 'acct_hk', 'hk@example.com', 'Hello', 'text', ?, ?, ?)")
                    .params(id + which, created, created, created).update();
        }

        assertThat(housekeeping.sweep()).as("tables that could not be cleaned").isEmpty();

        assertThat(jdbc.sql("select idempotency_key from idempotency_records where key_id = 'key_hk' "
                + "and idempotency_key like ?").param(id + "%").query(String.class).list()).containsExactly(id + "new");
        assertThat(jdbc.sql("select image_id from image_results where image_id like ?").param(id + "%")
                .query(String.class).list()).containsExactly(id + "new");
        assertThat(jdbc.sql("select count(*) from rate_limit_windows where key_id = ?").param("key_hk" + id)
                .query(Long.class).single()).isEqualTo(1L);
        assertThat(jdbc.sql("select count(*) from sign_in_failures where email = ?").param(id + "@example.com")
                .query(Long.class).single()).isEqualTo(1L);
        assertThat(jdbc.sql("select token_hash from email_verifications where token_hash like ?").param(id + "%")
                .query(String.class).list()).containsExactly(id + "new");
        assertThat(jdbc.sql("select mail_id from mail_outbox where mail_id like ?").param(id + "%")
                .query(String.class).list()).containsExactly(id + "new");
    }
}
