package com.pictura.api.mail;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;

/**
 * Sends the outbox's waiting mail by SMTP, when Spring Boot configured a mail sender ({@code spring.mail.host}):
 * at once after the commit that queued it, and again on a timer for what failed or was queued by a node that
 * stopped. Each mail is claimed (skip locked, with a lease) before it is sent, so two nodes never send it at the
 * same time; a node that dies between sending and recording it sends it again after the lease: at least once.
 * A failed mail waits {@code retry-delay}, doubled at each attempt up to an hour, for {@code max-attempts}.
 * What a mail says never reaches the log: only its id and why the server refused it.
 */
@Component
public class SmtpDelivery {

    private static final Logger log = LoggerFactory.getLogger(SmtpDelivery.class);
    /** How long a claimed mail is left to its sender before another may try: beyond any SMTP timeout. */
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final Duration LONGEST_WAIT = Duration.ofHours(1);
    private static final int MAILS_PER_RUN = 200;

    private final ObjectProvider<JavaMailSender> senders;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final String from;
    private final Duration retryDelay;
    private final Duration sweepInterval;
    private final int maxAttempts;
    private final AtomicBoolean nudged = new AtomicBoolean();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "mail-delivery");
        thread.setDaemon(true);
        return thread;
    });

    public SmtpDelivery(ObjectProvider<JavaMailSender> senders, JdbcClient jdbc, Clock clock,
                        @Value("${pictura.mail.from:Pictura <no-reply@localhost>}") String from,
                        @Value("${pictura.mail.retry-delay:PT30S}") Duration retryDelay,
                        @Value("${pictura.mail.sweep-interval:PT30S}") Duration sweepInterval,
                        @Value("${pictura.mail.max-attempts:12}") int maxAttempts) {
        this.senders = senders;
        this.jdbc = jdbc;
        this.clock = clock;
        this.from = from;
        this.retryDelay = retryDelay;
        this.sweepInterval = sweepInterval;
        this.maxAttempts = maxAttempts;
    }

    boolean configured() {
        return senders.getIfAvailable() != null;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        if (configured()) {
            worker.scheduleWithFixedDelay(this::deliverDue, sweepInterval.toMillis(), sweepInterval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }

    /** After a commit that queued mail: deliver it now, on the worker (never in the request's thread). */
    void nudge() {
        if (configured() && nudged.compareAndSet(false, true)) {
            worker.execute(() -> {
                nudged.set(false);
                deliverDue();
            });
        }
    }

    private record Claimed(String id, String to, String subject, String text, int attempts) {
    }

    /** Sends every mail that is due; never throws (a task that throws is never run again by its executor). */
    void deliverDue() {
        try {
            JavaMailSender sender = senders.getIfAvailable();
            for (int i = 0; sender != null && i < MAILS_PER_RUN; i++) {
                Optional<Claimed> mail = claim();
                if (mail.isEmpty()) {
                    return;
                }
                deliver(sender, mail.get());
            }
        } catch (RuntimeException e) {
            log.warn("Mail delivery stopped for this round; it resumes at the next: {}", e.toString());
        }
    }

    private Optional<Claimed> claim() {
        Instant now = clock.instant();
        return jdbc.sql("""
                        update mail_outbox set attempts = attempts + 1, next_attempt_at = ?
                         where mail_id = (select mail_id from mail_outbox
                                           where sent_at is null and next_attempt_at <= ? and attempts < ?
                                           order by next_attempt_at limit 1 for update skip locked)
                        returning mail_id, recipient, subject, body, attempts""")
                .params(Timestamp.from(now.plus(LEASE)), Timestamp.from(now), maxAttempts)
                .query((row, n) -> new Claimed(row.getString(1), row.getString(2), row.getString(3),
                        row.getString(4), row.getInt(5)))
                .optional();
    }

    private void deliver(JavaMailSender sender, Claimed mail) {
        SimpleMailMessage message = new SimpleMailMessage();
        message.setFrom(from);
        message.setTo(mail.to());
        message.setSubject(mail.subject());
        message.setText(mail.text());
        try {
            sender.send(message);
        } catch (RuntimeException e) {
            Duration wait = retryDelay.multipliedBy(1L << Math.min(20, mail.attempts() - 1));
            wait = wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait;
            String why = reason(e);
            jdbc.sql("update mail_outbox set next_attempt_at = ?, last_error = ? where mail_id = ?")
                    .params(Timestamp.from(clock.instant().plus(wait)), why, mail.id()).update();
            if (mail.attempts() >= maxAttempts) {
                log.error("Mail {} was not sent after {} attempts; giving up: {}", mail.id(), mail.attempts(), why);
            } else {
                log.warn("Mail {} could not be sent (attempt {}); trying again in {} s: {}", mail.id(),
                        mail.attempts(), wait.toSeconds(), why);
            }
            return;
        }
        // Sent: what it said (a single-use link) has no reader here any more, so it is not kept.
        jdbc.sql("update mail_outbox set sent_at = ?, body = null, link = null, last_error = null where mail_id = ?")
                .params(Timestamp.from(clock.instant()), mail.id()).update();
    }

    /** The innermost cause's kind and message: the server's or the network's words, never the mail's. */
    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String why = root.getClass().getSimpleName() + ": " + root.getMessage();
        return why.length() > 500 ? why.substring(0, 500) : why;
    }
}
