package com.pictura.api.account;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.pictura.api.web.ApiException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Throttles password guessing: after {@code pictura.security.sign-in-failures} failed sign-ins for one email in a
 * 15-minute window, further attempts are refused with 429 until the window ends. Counted in PostgreSQL, so the
 * limit holds across nodes; counted for unknown emails too, so the answer tells nothing about which exist.
 */
@Component
public class SignInThrottle {

    static final Duration WINDOW = Duration.ofMinutes(15);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final int maxFailures;

    public SignInThrottle(JdbcClient jdbc, Clock clock,
                          @Value("${pictura.security.sign-in-failures:10}") int maxFailures) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.maxFailures = maxFailures;
    }

    /** @throws ApiException 429 with {@code Retry-After} while {@code email} has too many recent failures */
    public void check(String email) {
        Instant window = window();
        int failures = jdbc.sql("select failures from sign_in_failures where email = ? and window_start = ?")
                .params(email, Timestamp.from(window)).query(Integer.class).optional().orElse(0);
        if (failures >= maxFailures) {
            long retryAfter = Math.max(1, Duration.between(clock.instant(), window.plus(WINDOW)).toSeconds());
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "rate_limit_error", "too_many_sign_in_attempts",
                    null, "Too many failed sign-ins for this email; try again in " + retryAfter + " s.")
                    .withRetryAfter(retryAfter);
        }
    }

    public void failed(String email) {
        Instant window = window();
        jdbc.sql("""
                        insert into sign_in_failures (email, window_start, failures) values (?, ?, 1)
                        on conflict (email, window_start) do update set failures = sign_in_failures.failures + 1""")
                .params(email, Timestamp.from(window)).update();
        jdbc.sql("delete from sign_in_failures where email = ? and window_start < ?")
                .params(email, Timestamp.from(window)).update();
    }

    private Instant window() {
        long size = WINDOW.toSeconds();
        return Instant.ofEpochSecond(clock.instant().getEpochSecond() / size * size);
    }
}
