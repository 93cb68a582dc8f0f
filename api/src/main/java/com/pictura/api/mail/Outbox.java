package com.pictura.api.mail;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import com.pictura.domain.account.AccountId;
import com.pictura.domain.id.Ids;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Where mail to a person is written, always inside the transaction of what it tells of: a rolled-back sign-up
 * leaves no mail, and a committed one keeps its mail whatever the mail server does. With SMTP the row waits for
 * {@link SmtpDelivery}, nudged once the transaction commits; without SMTP the row is the delivered mail, read
 * by its recipient's account through {@code GET /api/outbox}.
 */
@Component
public class Outbox {

    static final int LISTED = 50;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final SmtpDelivery smtp;

    public Outbox(JdbcClient jdbc, Clock clock, SmtpDelivery smtp) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.smtp = smtp;
    }

    /** A mail as its recipient's account sees it in the built-in mailbox. */
    public record Mail(String id, String to, String subject, String text, String link, Instant sentAt) {
    }

    /**
     * Queues a mail to the owner of {@code account}; must run in the transaction of what it tells of.
     *
     * @param link the one link the mail is about (also in {@code text}), for clients of the built-in mailbox
     */
    public void send(AccountId account, String to, String subject, String text, String link) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("mail is queued in the transaction of what it tells of");
        }
        Timestamp now = Timestamp.from(clock.instant());
        boolean viaSmtp = smtp.configured();
        jdbc.sql("""
                        insert into mail_outbox (mail_id, account_id, recipient, subject, body, link, created_at,
                                                 sent_at, next_attempt_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(Ids.random("mail_", 24), account.value(), to, subject, text, link, now,
                        viaSmtp ? null : now, now)
                .update();
        if (viaSmtp) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    smtp.nudge();
                }
            });
        }
    }

    /** Whether mail leaves by SMTP, so that there is no built-in mailbox to read. */
    public boolean viaSmtp() {
        return smtp.configured();
    }

    /** The built-in mailbox of {@code account}: its newest mails first. */
    public List<Mail> mailbox(AccountId account) {
        return jdbc.sql("""
                        select mail_id, recipient, subject, body, link, sent_at from mail_outbox
                         where account_id = ? and sent_at is not null order by created_at desc, mail_id limit ?""")
                .params(account.value(), LISTED)
                .query((row, n) -> new Mail(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                        row.getString(5), row.getTimestamp(6).toInstant()))
                .list();
    }
}
