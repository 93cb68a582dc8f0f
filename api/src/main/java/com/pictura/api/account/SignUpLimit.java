package com.pictura.api.account;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import com.pictura.api.security.Secrets;
import com.pictura.api.web.ApiException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * At most {@code pictura.signup.per-address-limit} sign-ups per client address in each fixed window of
 * {@code pictura.signup.per-address-window}: every account comes with free credits, and one address once opened
 * 60 accounts in 14 seconds. Counted in PostgreSQL (one conditional upsert, in the sign-up's own transaction, so
 * a refused or failed sign-up counts nothing and writes nothing), so the limit holds however many nodes there are.
 */
@Component
class SignUpLimit {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final int limit;
    private final Duration window;
    private final Set<String> exempt;

    SignUpLimit(JdbcClient jdbc, Clock clock, @Value("${pictura.signup.per-address-limit:5}") int limit,
                @Value("${pictura.signup.per-address-window:PT1H}") Duration window,
                @Value("${pictura.signup.exempt-addresses:}") String exempt) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.limit = limit;
        this.window = window;
        this.exempt = Arrays.stream(exempt.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
    }

    /** Before the slow password hash: refuses an address already at its limit without spending the CPU. */
    void check(String address) {
        if (exempt.contains(address)) {
            return;
        }
        Instant start = windowStart();
        Integer signups = jdbc.sql("select signups from signup_windows where address_hash = ? and window_start = ?")
                .params(Secrets.sha256(address), Timestamp.from(start)).query(Integer.class).optional().orElse(0);
        if (signups >= limit) {
            throw refused(start);
        }
    }

    /** Counts one sign-up from {@code address}; must run in the sign-up's transaction. */
    void count(String address) {
        if (exempt.contains(address)) {
            return;
        }
        Instant start = windowStart();
        int counted = limit <= 0 ? 0 : jdbc.sql("""
                        insert into signup_windows (address_hash, window_start, signups) values (?, ?, 1)
                        on conflict (address_hash, window_start) do update set signups = signup_windows.signups + 1
                         where signup_windows.signups < ?""")
                .params(Secrets.sha256(address), Timestamp.from(start), limit).update();
        if (counted == 0) {
            throw refused(start);
        }
    }

    private Instant windowStart() {
        long millis = window.toMillis();
        return Instant.ofEpochMilli(clock.millis() / millis * millis);
    }

    private ApiException refused(Instant windowStart) {
        long retryAfter = Math.max(1, Duration.between(clock.instant(), windowStart.plus(window)).toSeconds());
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, "rate_limit_error", "too_many_signups", null,
                "Too many accounts were opened from this address recently; try again in " + retryAfter + " s.")
                .withRetryAfter(retryAfter);
    }
}
