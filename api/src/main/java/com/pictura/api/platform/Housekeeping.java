package com.pictura.api.platform;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import com.pictura.billing.jobs.OncePerCluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Deletes what has served its time: idempotency records after 24 h, image links, old rate-limit windows, expired
 * or ended sessions, old sign-in failure counts and sign-up windows, expired verification links, month-old mail. None of it is ledger history (that is never deleted).
 */
@Component
public class Housekeeping {

    private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final OncePerCluster cluster;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "housekeeping");
        thread.setDaemon(true);
        return thread;
    });

    public Housekeeping(JdbcClient jdbc, Clock clock, OncePerCluster cluster) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.cluster = cluster;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        // Every node keeps the timer; one node a minute sweeps (the deletes are harmless twice, but need not be).
        timer.scheduleWithFixedDelay(() -> {
            try {
                if (cluster.claim("housekeeping")) {
                    sweep();
                }
            } catch (RuntimeException e) {
                // A task that throws is never run again by the executor: log, and try again in a minute.
                log.warn("Housekeeping could not claim its run; retrying in a minute: {}", e.toString());
            }
        }, 30, 60, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }

    /**
     * One delete per table, each on its own: a table that cannot be cleaned (locked, broken) does not keep the
     * others from being cleaned, and is logged.
     *
     * @return the tables that could not be cleaned this time; empty when all were
     */
    public List<String> sweep() {
        Instant now = clock.instant();
        List<String> failed = new ArrayList<>();
        delete(failed, "idempotency_records", "delete from idempotency_records where expires_at < ?", now);
        delete(failed, "image_results", "delete from image_results where expires_at < ?", now);
        delete(failed, "rate_limit_windows", "delete from rate_limit_windows where window_start < ?",
                now.minus(Duration.ofMinutes(2)));
        delete(failed, "sessions", "delete from sessions where expires_at < ? or ended_at < ?", now, now);
        delete(failed, "sign_in_failures", "delete from sign_in_failures where window_start < ?",
                now.minus(Duration.ofHours(1)));
        delete(failed, "signup_windows", "delete from signup_windows where window_start < ?",
                now.minus(Duration.ofDays(1)));
        delete(failed, "job_runs", "delete from job_runs where slot < ?", now.minus(Duration.ofDays(1)));
        // A day past expiry a used or expired link is simply unknown; mail is kept 30 days for its reader.
        delete(failed, "email_verifications", "delete from email_verifications where expires_at < ?",
                now.minus(Duration.ofDays(1)));
        delete(failed, "mail_outbox", "delete from mail_outbox where created_at < ?", now.minus(Duration.ofDays(30)));
        return failed;
    }

    private void delete(List<String> failed, String table, String sql, Instant... before) {
        try {
            jdbc.sql(sql).params(Arrays.stream(before).map(Timestamp::from).toArray()).update();
        } catch (RuntimeException e) {
            failed.add(table);
            log.warn("Housekeeping could not clean {}; retrying in a minute: {}", table, e.toString());
        }
    }
}
