package com.pictura.api.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.pictura.api.IntegrationTest;
import com.pictura.api.web.ApiException;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.id.Ids;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.WalletId;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * The limiter's windows on the real PostgreSQL, with a clock the test sets: the first request of a minute, the
 * minute's end, the burst a fixed window allows across its boundary, and many calls on one key at once.
 */
class RateLimiterTest extends IntegrationTest {

    /** Far from the real clock, so housekeeping (which deletes windows older than two minutes) leaves them be. */
    private static final Instant MINUTE = Instant.parse("2030-01-01T10:00:00Z");

    private final SetClock clock = new SetClock(MINUTE);

    @Test
    void aLimitOfZeroRequestsRefusesEvenTheFirstRequestOfEachMinute() {
        RateLimiter limiter = new RateLimiter(jdbc, clock);
        KeyCaller caller = caller(0, 1_000_000);

        for (Instant at : List.of(MINUTE, MINUTE.plusSeconds(30), MINUTE.plusSeconds(60), MINUTE.plusSeconds(125))) {
            clock.set(at);
            MockHttpServletResponse response = new MockHttpServletResponse();
            assertThat(refusal(limiter, caller, 10, response)).as("at %s", at).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
            assertThat(response.getHeader("x-ratelimit-remaining-requests")).isEqualTo("0");
        }
        assertThat(jdbc.sql("select coalesce(sum(requests), 0) from rate_limit_windows where key_id = ?")
                .param(caller.keyId()).query(Long.class).single()).isZero();
    }

    @Test
    void aFullWindowRefusesUntilTheNextMinuteStarts() {
        RateLimiter limiter = new RateLimiter(jdbc, clock);
        KeyCaller caller = caller(2, 1_000_000);
        clock.set(MINUTE.plusSeconds(5));
        assertThat(admit(limiter, caller, 10).getHeader("x-ratelimit-remaining-requests")).isEqualTo("1");
        assertThat(admit(limiter, caller, 10).getHeader("x-ratelimit-remaining-requests")).isEqualTo("0");
        MockHttpServletResponse refused = new MockHttpServletResponse();
        assertThat(refusal(limiter, caller, 10, refused)).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("55");
        assertThat(refused.getHeader("x-ratelimit-reset-requests")).isEqualTo("55s");

        clock.set(MINUTE.plusSeconds(59).plusMillis(999));
        assertThat(refusal(limiter, caller, 10, new MockHttpServletResponse())).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);

        clock.set(MINUTE.plusSeconds(60));
        MockHttpServletResponse next = admit(limiter, caller, 10);
        assertThat(next.getHeader("x-ratelimit-remaining-requests")).isEqualTo("1");
        assertThat(next.getHeader("x-ratelimit-reset-requests")).isEqualTo("60s");
    }

    @Test
    void aBurstAcrossTheWindowBoundaryGetsAtMostTwiceTheLimit() {
        RateLimiter limiter = new RateLimiter(jdbc, clock);
        KeyCaller caller = caller(3, 1_000_000);

        clock.set(MINUTE.plusSeconds(59).plusMillis(500));
        int admitted = 0;
        for (int i = 0; i < 5; i++) {
            admitted += refusal(limiter, caller, 1, new MockHttpServletResponse()) == null ? 1 : 0;
        }
        clock.set(MINUTE.plusSeconds(60));
        for (int i = 0; i < 5; i++) {
            admitted += refusal(limiter, caller, 1, new MockHttpServletResponse()) == null ? 1 : 0;
        }

        // Six requests within half a second, as docs/gateway.md says a fixed window allows; never a seventh.
        assertThat(admitted).isEqualTo(6);
    }

    @Test
    void tokensAreCountedAsTheWorstCaseAndARequestAboveTheWholeBudgetIsRefusedAlone() {
        RateLimiter limiter = new RateLimiter(jdbc, clock);
        KeyCaller caller = caller(100, 100);
        clock.set(MINUTE.plusSeconds(1));

        assertThat(admit(limiter, caller, 60).getHeader("x-ratelimit-remaining-tokens")).isEqualTo("40");
        assertThat(refusal(limiter, caller, 41, new MockHttpServletResponse())).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(admit(limiter, caller, 40).getHeader("x-ratelimit-remaining-tokens")).isEqualTo("0");
        ApiException alone = (ApiException) catchThrowable(() ->
                limiter.admit(caller(100, 100), 101, new MockHttpServletResponse()));
        assertThat(alone.getMessage()).contains("This request alone needs 101 tokens");
    }

    @Test
    void concurrentCallsOnOneKeyAreAdmittedExactlyUpToTheLimit() throws Exception {
        RateLimiter limiter = new RateLimiter(jdbc, clock);
        KeyCaller caller = caller(10, 1_000_000);
        clock.set(MINUTE.plusSeconds(10));
        int calls = 30;
        ExecutorService pool = Executors.newFixedThreadPool(calls);
        CountDownLatch ready = new CountDownLatch(calls);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<HttpStatus>> outcomes = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                outcomes.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return refusal(limiter, caller, 1, new MockHttpServletResponse());
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<HttpStatus> statuses = new ArrayList<>();
            for (Future<HttpStatus> outcome : outcomes) {
                HttpStatus status = outcome.get(30, TimeUnit.SECONDS);
                statuses.add(status == null ? HttpStatus.OK : status);
            }
            assertThat(statuses).filteredOn(HttpStatus.OK::equals).hasSize(10);
            assertThat(statuses).filteredOn(HttpStatus.TOO_MANY_REQUESTS::equals).hasSize(20);
        } finally {
            pool.shutdownNow();
        }
        assertThat(jdbc.sql("select requests from rate_limit_windows where key_id = ?").param(caller.keyId())
                .query(Integer.class).single()).isEqualTo(10);
    }

    private static KeyCaller caller(int rpm, long tpm) {
        AccountId account = AccountId.generate();
        return new KeyCaller(Ids.random("key_", 22), account.value(), WalletId.of(account), Credits.of(25),
                Credits.ZERO, rpm, tpm, com.pictura.domain.apikey.ApiKeyLimits.NONE);
    }

    private static MockHttpServletResponse admit(RateLimiter limiter, KeyCaller caller, long tokens) {
        MockHttpServletResponse response = new MockHttpServletResponse();
        limiter.admit(caller, tokens, response);
        return response;
    }

    /** The refusal's status, or null when admitted. */
    private static HttpStatus refusal(RateLimiter limiter, KeyCaller caller, long tokens,
                                      MockHttpServletResponse response) {
        try {
            limiter.admit(caller, tokens, response);
            return null;
        } catch (ApiException e) {
            return e.status();
        }
    }

    /** A clock that stands still where the test puts it. */
    private static final class SetClock extends Clock {

        private volatile Instant now;

        SetClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
