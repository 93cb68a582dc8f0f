package com.pictura.api.gateway;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import com.pictura.api.web.ApiException;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Requests and tokens per minute per API key, counted in PostgreSQL so the limit holds across all nodes:
 * fixed one-minute windows, one conditional upsert per request (a request over the limit is not counted). Tokens
 * are counted at admission as the request's worst case (estimated input + max output), so a key can never
 * exceed its token budget, at the price of being conservative for answers shorter than max_tokens.
 */
@Component
public class RateLimiter {

    private final JdbcClient jdbc;
    private final Clock clock;

    public RateLimiter(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    private record Counts(int requests, long tokens) {
    }

    /** Counts the request, sets the {@code x-ratelimit-*} headers, and refuses with 429 when over a limit. */
    public void admit(KeyCaller caller, long tokens, HttpServletResponse response) {
        Instant now = clock.instant();
        Instant window = now.truncatedTo(ChronoUnit.MINUTES);
        long resetSeconds = Math.max(1, 60 - (now.getEpochSecond() - window.getEpochSecond()));
        int rpm = caller.requestsPerMinute();
        long tpm = caller.tokensPerMinute();
        Counts counts = null;
        // rpm 0 admits nothing: the upsert's insert (the first request of a minute) is not conditional.
        if (rpm > 0 && tokens <= tpm) {
            counts = jdbc.sql("""
                            insert into rate_limit_windows (key_id, window_start, requests, tokens) values (?, ?, 1, ?)
                            on conflict (key_id, window_start) do update
                               set requests = rate_limit_windows.requests + 1,
                                   tokens = rate_limit_windows.tokens + excluded.tokens
                             where rate_limit_windows.requests < ? and rate_limit_windows.tokens + excluded.tokens <= ?
                            returning requests, tokens""")
                    .params(caller.keyId(), Timestamp.from(window), tokens, rpm, tpm)
                    .query((rs, n) -> new Counts(rs.getInt(1), rs.getLong(2)))
                    .optional().orElse(null);
        }
        boolean admitted = counts != null;
        if (!admitted) {
            counts = jdbc.sql("select requests, tokens from rate_limit_windows where key_id = ? and window_start = ?")
                    .params(caller.keyId(), Timestamp.from(window))
                    .query((rs, n) -> new Counts(rs.getInt(1), rs.getLong(2)))
                    .optional().orElse(new Counts(0, 0));
        }
        response.setHeader("x-ratelimit-limit-requests", Integer.toString(rpm));
        response.setHeader("x-ratelimit-remaining-requests", Long.toString(Math.max(0, rpm - counts.requests())));
        response.setHeader("x-ratelimit-reset-requests", resetSeconds + "s");
        response.setHeader("x-ratelimit-limit-tokens", Long.toString(tpm));
        response.setHeader("x-ratelimit-remaining-tokens", Long.toString(Math.max(0, tpm - counts.tokens())));
        response.setHeader("x-ratelimit-reset-tokens", resetSeconds + "s");
        if (!admitted) {
            response.setHeader("Retry-After", Long.toString(resetSeconds));
            String what = tokens > tpm ? "This request alone needs " + tokens + " tokens, more than the limit of "
                    + tpm + " tokens per minute; lower max_tokens."
                    : counts.requests() >= rpm ? "Rate limit reached: " + rpm + " requests per minute."
                    : "Rate limit reached: " + tpm + " tokens per minute (this request may use " + tokens + ").";
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "rate_limit_error", "rate_limit_exceeded", null,
                    what + " Retry after " + resetSeconds + " s.");
        }
    }
}
