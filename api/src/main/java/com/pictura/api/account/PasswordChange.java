package com.pictura.api.account;

import java.sql.Timestamp;
import java.time.Clock;

import com.pictura.api.mail.Outbox;
import com.pictura.api.security.Caller;
import com.pictura.api.security.Sessions;
import com.pictura.api.web.ApiException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A signed-in person replaces their password, proving the current one first (a session left open on a shared
 * computer must not be enough to lock its owner out). Wrong current passwords count towards the sign-in
 * throttle of the account's email. Every other session of the account ends, so whoever learned the old
 * password is signed out; the session that made the change stays. The owner is told by mail.
 */
@Service
public class PasswordChange {

    private final Passwords passwords;
    private final SignInThrottle throttle;
    private final Sessions sessions;
    private final Outbox outbox;
    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final Clock clock;

    public PasswordChange(Passwords passwords, SignInThrottle throttle, Sessions sessions, Outbox outbox,
                          JdbcClient jdbc, TransactionTemplate transaction, Clock clock) {
        this.passwords = passwords;
        this.throttle = throttle;
        this.sessions = sessions;
        this.outbox = outbox;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.clock = clock;
    }

    /** @param currentSession the token of the session making the change, which stays open */
    public void change(Caller caller, String currentSession, String currentPassword, String newPassword) {
        if (currentPassword == null) {
            throw ApiException.invalid("currentPassword", "currentPassword is required");
        }
        if (newPassword == null) {
            throw ApiException.invalid("newPassword", "newPassword is required");
        }
        throttle.check(caller.email());
        String hash = jdbc.sql("select password_hash from account_credentials where account_id = ?")
                .param(caller.accountId().value()).query(String.class).optional().orElse(null);
        if (!passwords.matches(currentPassword, hash)) {
            throttle.failed(caller.email());
            throw ApiException.invalid("currentPassword", "The current password is wrong.");
        }
        if (newPassword.equals(currentPassword)) {
            throw ApiException.invalid("newPassword", "The new password is the current one; choose another.");
        }
        // Slow by design: hashed before the transaction, so it holds no connection meanwhile.
        String newHash = passwords.hash(newPassword, "newPassword");
        transaction.executeWithoutResult(status -> {
            jdbc.sql("update account_credentials set password_hash = ?, updated_at = ? where account_id = ?")
                    .params(newHash, Timestamp.from(clock.instant()), caller.accountId().value()).update();
            sessions.endAllBut(caller.accountId(), currentSession);
            outbox.send(caller.accountId(), caller.email(), "Your Pictura password was changed", """
                    Hello,

                    the password of your Pictura account was changed just now, and every other session of the \
                    account was signed out.

                    If you did not change it, sign in with the new password if you can and change it again, \
                    and contact support at once.

                    Pictura
                    """, null);
        });
    }
}
