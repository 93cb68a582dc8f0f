package com.pictura.api.platform;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Deletes what has served its time: idempotency records after 24 h, image links, old rate-limit windows, expired
 * or ended sessions, old sign-in failure counts. None of it is ledger history (that is never deleted).
 */
@Component
public class Housekeeping {

    private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "housekeeping");
        thread.setDaemon(true);
        return thread;
    });

    public Housekeeping(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        timer.scheduleWithFixedDelay(this::sweep, 30, 60, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }

    public void sweep() {
        try {
            Timestamp now = Timestamp.from(clock.instant());
            jdbc.sql("delete from idempotency_records where expires_at < ?").param(now).update();
            jdbc.sql("delete from image_results where expires_at < ?").param(now).update();
            jdbc.sql("delete from rate_limit_windows where window_start < ?")
                    .param(Timestamp.from(clock.instant().minus(Duration.ofMinutes(2)))).update();
            jdbc.sql("delete from sessions where expires_at < ? or ended_at < ?").params(now, now).update();
            jdbc.sql("delete from sign_in_failures where window_start < ?")
                    .param(Timestamp.from(clock.instant().minus(Duration.ofHours(1)))).update();
        } catch (RuntimeException e) {
            log.warn("Housekeeping failed; retrying in a minute: {}", e.toString());
        }
    }
}
