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

        housekeeping.sweep();

        assertThat(jdbc.sql("select count(*) from sessions where token_hash in ('expired-hash', 'ended-hash')")
                .query(Long.class).single()).isZero();
        assertThat(http.get("/api/me", live.session()).status()).isEqualTo(200);
    }
}
