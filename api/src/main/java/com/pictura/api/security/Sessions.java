package com.pictura.api.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.pictura.domain.account.AccountId;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Dashboard sessions: a random token handed to the browser, its SHA-256 kept in the database. */
@Component
public class Sessions {

    public static final String TOKEN_PREFIX = "ps_";

    private final JdbcClient jdbc;
    private final Duration ttl;
    private final Clock clock;

    public Sessions(JdbcClient jdbc, @Value("${pictura.security.session-ttl:P7D}") Duration ttl, Clock clock) {
        this.jdbc = jdbc;
        this.ttl = ttl;
        this.clock = clock;
    }

    public record Session(String token, Instant expiresAt) {
    }

    public Session open(AccountId account) {
        String token = Secrets.generate(TOKEN_PREFIX);
        Instant now = clock.instant();
        Instant expiresAt = now.plus(ttl);
        jdbc.sql("insert into sessions (token_hash, account_id, created_at, expires_at) values (?, ?, ?, ?)")
                .params(Secrets.sha256(token), account.value(), java.sql.Timestamp.from(now),
                        java.sql.Timestamp.from(expiresAt))
                .update();
        return new Session(token, expiresAt);
    }

    /** The account of a live session, if {@code token} is one. */
    public Optional<AccountId> find(String token) {
        if (token == null || !token.startsWith(TOKEN_PREFIX)) {
            return Optional.empty();
        }
        return jdbc.sql("select account_id from sessions where token_hash = ? and ended_at is null and expires_at > ?")
                .params(Secrets.sha256(token), java.sql.Timestamp.from(clock.instant()))
                .query(String.class)
                .optional()
                .map(AccountId::new);
    }

    /** When the session of {@code token} was opened, that is, when its holder last signed in. */
    public Optional<Instant> openedAt(String token) {
        return jdbc.sql("select created_at from sessions where token_hash = ?").param(Secrets.sha256(token))
                .query(java.sql.Timestamp.class).optional().map(java.sql.Timestamp::toInstant);
    }

    public void end(String token) {
        jdbc.sql("update sessions set ended_at = ? where token_hash = ? and ended_at is null")
                .params(java.sql.Timestamp.from(clock.instant()), Secrets.sha256(token))
                .update();
    }

    /** Ends every session of an account but the one of {@code kept}: after its holder changed the password. */
    public void endAllBut(AccountId account, String kept) {
        jdbc.sql("update sessions set ended_at = ? where account_id = ? and ended_at is null and token_hash <> ?")
                .params(java.sql.Timestamp.from(clock.instant()), account.value(), Secrets.sha256(kept))
                .update();
    }

    /** Ends every session of an account: on suspension or termination. */
    public void endAll(AccountId account) {
        jdbc.sql("update sessions set ended_at = ? where account_id = ? and ended_at is null")
                .params(java.sql.Timestamp.from(clock.instant()), account.value())
                .update();
    }
}
