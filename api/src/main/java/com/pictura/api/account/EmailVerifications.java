package com.pictura.api.account;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.pictura.api.mail.Outbox;
import com.pictura.api.security.Secrets;
import com.pictura.api.web.ApiException;
import com.pictura.domain.account.AccountCommand.VerifyEmail;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.actor.Actor;
import com.pictura.billing.stripe.PublicUrl;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Proof that a person reads mail at their account's address: a single-use link with a random token, of which
 * only the SHA-256 is kept, valid for {@code pictura.email-verification.ttl}. Opening it records the account's
 * {@code EmailVerified} event; until then the account may not issue API keys.
 */
@Service
public class EmailVerifications {

    public static final String TOKEN_PREFIX = "ev_";

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final CommandGateway commands;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final PublicUrl publicUrl;
    private final Duration ttl;
    private final Duration resendInterval;

    public EmailVerifications(JdbcClient jdbc, Outbox outbox, CommandGateway commands, TransactionTemplate transaction,
                              Clock clock, PublicUrl publicUrl,
                              @Value("${pictura.email-verification.ttl:PT24H}") Duration ttl,
                              @Value("${pictura.email-verification.resend-interval:PT1M}") Duration resendInterval) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.commands = commands;
        this.transaction = transaction;
        this.clock = clock;
        this.publicUrl = publicUrl;
        this.ttl = ttl;
        this.resendInterval = resendInterval;
    }

    public record Sent(String to, Instant expiresAt) {
    }

    /** Creates a link for {@code email} and queues the mail carrying it; must run in the caller's transaction. */
    Sent issue(AccountId account, String email) {
        String token = Secrets.generate(TOKEN_PREFIX);
        Instant now = clock.instant();
        Instant expiresAt = now.plus(ttl);
        jdbc.sql("""
                        insert into email_verifications (token_hash, account_id, email, created_at, expires_at)
                        values (?, ?, ?, ?, ?)""")
                .params(Secrets.sha256(token), account.value(), email, Timestamp.from(now), Timestamp.from(expiresAt))
                .update();
        // The address people use (PICTURA_PUBLIC_URL), never the Host of the request that signed up.
        String link = publicUrl.base() + "/#/verify-email?token=" + token;
        outbox.send(account, email, "Confirm your email address for Pictura", """
                Hello,

                a Pictura account was opened with this email address. To confirm that the address is yours, \
                open this link within %s:

                %s

                Until you confirm it, you can sign in and look around, but not create API keys.
                If you did not sign up for Pictura, ignore this mail: nothing else will happen.

                Pictura
                """.formatted(hours(ttl), link), link);
        return new Sent(email, expiresAt);
    }

    /** A fresh link for a signed-in account that is not verified yet, at most one per {@code resend-interval}. */
    public Sent resend(AccountId account) {
        return transaction.execute(status -> {
            // Locked, so that two requests at once cannot both pass the interval.
            var row = jdbc.sql("select email, email_verified from accounts where account_id = ? for update")
                    .param(account.value())
                    .query((r, n) -> new Object[] {r.getString(1), r.getBoolean(2)}).optional()
                    .orElseThrow(() -> ApiException.notFound("No such account."));
            if ((Boolean) row[1]) {
                throw ApiException.conflict("email_already_verified", "This email address is already verified.");
            }
            Instant now = clock.instant();
            jdbc.sql("select max(created_at) from email_verifications where account_id = ?").param(account.value())
                    .query(Timestamp.class).optional().map(Timestamp::toInstant)
                    .filter(last -> last.plus(resendInterval).isAfter(now))
                    .ifPresent(last -> {
                        long retryAfter = Math.max(1, Duration.between(now, last.plus(resendInterval)).toSeconds());
                        throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "rate_limit_error",
                                "too_many_verification_mails", null, "A verification mail was sent moments ago; "
                                + "you can ask for another in " + retryAfter + " s.").withRetryAfter(retryAfter);
                    });
            return issue(account, (String) row[0]);
        });
    }

    private record Link(String accountId, String email, Instant expiresAt, Instant usedAt) {
    }

    /** Verifies the email of the link's account; a link works once, and only before it expires. */
    public void verify(String token) {
        if (token == null || !token.startsWith(TOKEN_PREFIX) || token.length() > 100) {
            throw invalidToken("This verification link is not valid; ask for a fresh one.");
        }
        transaction.executeWithoutResult(status -> {
            Link link = jdbc.sql("""
                            select account_id, email, expires_at, used_at from email_verifications
                             where token_hash = ? for update""")
                    .param(Secrets.sha256(token))
                    .query((r, n) -> new Link(r.getString(1), r.getString(2), r.getTimestamp(3).toInstant(),
                            r.getTimestamp(4) == null ? null : r.getTimestamp(4).toInstant()))
                    .optional()
                    .orElseThrow(() -> invalidToken("This verification link is not valid; ask for a fresh one."));
            Instant now = clock.instant();
            if (link.usedAt() != null) {
                throw invalidToken("This verification link was already used.");
            }
            if (!now.isBefore(link.expiresAt())) {
                throw invalidToken("This verification link has expired; ask for a fresh one.");
            }
            String current = jdbc.sql("select email from accounts where account_id = ?").param(link.accountId())
                    .query(String.class).optional().orElse(null);
            if (!link.email().equals(current)) {
                throw invalidToken("This verification link is for an address the account no longer has.");
            }
            jdbc.sql("update email_verifications set used_at = ? where token_hash = ?")
                    .params(Timestamp.from(now), Secrets.sha256(token)).update();
            // Last: nothing after the command can roll the transaction back behind the aggregate cache's back.
            AccountId account = new AccountId(link.accountId());
            commands.sendAndWait(new VerifyEmail(account, Actor.account(account.value())));
        });
    }

    private static ApiException invalidToken(String message) {
        return ApiException.invalid("token", message);
    }

    private static String hours(Duration ttl) {
        return ttl.toHours() >= 1 && ttl.toMinutes() % 60 == 0 ? ttl.toHours() + (ttl.toHours() == 1 ? " hour" : " hours")
                : ttl.toMinutes() + " minutes";
    }
}
