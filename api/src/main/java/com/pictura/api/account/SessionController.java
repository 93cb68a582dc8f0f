package com.pictura.api.account;

import java.time.Duration;
import java.time.Instant;

import com.pictura.api.security.SessionAuthentication;
import com.pictura.api.security.Sessions;
import com.pictura.api.web.ApiException;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.account.AccountStatus;
import com.pictura.domain.account.EmailAddress;
import com.pictura.projections.account.AccountRepository;
import com.pictura.projections.account.AccountRow;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Signing in and out of the dashboard. */
@RestController
@RequestMapping("/api/session")
public class SessionController {

    private final AccountRepository accounts;
    private final Passwords passwords;
    private final Sessions sessions;
    private final JdbcClient jdbc;
    private final SignInThrottle throttle;
    private final boolean secureCookies;

    public SessionController(AccountRepository accounts, Passwords passwords, Sessions sessions, JdbcClient jdbc,
                             SignInThrottle throttle,
                             @Value("${pictura.security.secure-cookies:false}") boolean secureCookies) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.sessions = sessions;
        this.jdbc = jdbc;
        this.throttle = throttle;
        this.secureCookies = secureCookies;
    }

    public record SignIn(String email, String password) {
    }

    public record SessionOpened(String token, Instant expiresAt, String accountId) {
    }

    @PostMapping
    ResponseEntity<SessionOpened> signIn(@RequestBody SignIn request, HttpServletRequest http) {
        if (request == null || request.email() == null || request.password() == null) {
            throw ApiException.invalid(null, "email and password are required");
        }
        String email = normalized(request.email()).orElse(null);
        if (email != null) {
            throttle.check(email);
        }
        AccountRow account = email == null ? null : accounts.findByEmail(email).orElse(null);
        String hash = account == null ? null : jdbc.sql("select password_hash from account_credentials where account_id = ?")
                .param(account.accountId()).query(String.class).optional().orElse(null);
        // The same answer, after the same work, whether the email is unknown or the password wrong.
        if (!passwords.matches(request.password(), hash) || account == null) {
            if (email != null) {
                throttle.failed(email);
            }
            throw ApiException.unauthorized("The email or the password is wrong.");
        }
        if (account.status() == AccountStatus.TERMINATED) {
            throw ApiException.forbidden("account_terminated", "This account is terminated.");
        }
        var session = sessions.open(new AccountId(account.accountId()));
        ResponseCookie cookie = ResponseCookie.from(SessionAuthentication.COOKIE, session.token())
                // Secure whenever the browser came over HTTPS (behind a proxy: with forwarded headers trusted).
                .httpOnly(true).secure(secureCookies || http.isSecure()).sameSite("Lax").path("/")
                .maxAge(Duration.between(Instant.now(), session.expiresAt())).build();
        return ResponseEntity.ok().header(HttpHeaders.SET_COOKIE, cookie.toString())
                .body(new SessionOpened(session.token(), session.expiresAt(), account.accountId()));
    }

    @DeleteMapping
    ResponseEntity<Void> signOut(HttpServletRequest request) {
        SessionAuthentication.token(request).ifPresent(sessions::end);
        ResponseCookie expired = ResponseCookie.from(SessionAuthentication.COOKIE, "").path("/").maxAge(0).build();
        return ResponseEntity.noContent().header(HttpHeaders.SET_COOKIE, expired.toString()).build();
    }

    private static java.util.Optional<String> normalized(String email) {
        try {
            return java.util.Optional.of(EmailAddress.normalize(email));
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
    }
}
