package com.pictura.api.account;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import com.pictura.api.web.ApiException;
import com.pictura.domain.account.AccountCommand.RegisterAccount;
import com.pictura.domain.account.AccountId;
import com.pictura.domain.account.EmailAddress;
import com.pictura.domain.account.Role;
import com.pictura.domain.actor.Actor;
import com.pictura.domain.wallet.Credits;
import com.pictura.domain.wallet.WalletCommand.OpenWallet;
import com.pictura.domain.wallet.WalletId;
import com.pictura.projections.account.AccountRepository;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Registration: the account with the Terms of Service it accepted, its wallet with the sign-up credits, the
 * password hash and the verification mail, all in one transaction or none of them. The wallet's id follows from the account's and a wallet opens once, so the free credits are
 * granted exactly once whatever is retried or replayed.
 */
@Service
public class SignUp {

    private final CommandGateway commands;
    private final AccountRepository accounts;
    private final Passwords passwords;
    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final Credits freeCredits;
    private final Set<String> bootstrapAdmins;
    private final MeterRegistry meters;
    private final SignUpLimit limit;
    private final TermsOfService terms;
    private final EmailVerifications verifications;

    public SignUp(CommandGateway commands, AccountRepository accounts, Passwords passwords, JdbcClient jdbc,
                  TransactionTemplate transaction, Clock clock, MeterRegistry meters, SignUpLimit limit,
                  TermsOfService terms, EmailVerifications verifications,
                  @Value("${pictura.signup.free-credits:25}") String freeCredits,
                  @Value("${pictura.staff.bootstrap-admins:}") String bootstrapAdmins) {
        this.commands = commands;
        this.accounts = accounts;
        this.passwords = passwords;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.clock = clock;
        this.meters = meters;
        this.limit = limit;
        this.terms = terms;
        this.verifications = verifications;
        this.freeCredits = Credits.parse(freeCredits);
        this.bootstrapAdmins = Arrays.stream(bootstrapAdmins.split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).map(EmailAddress::normalize).collect(Collectors.toSet());
    }

    public record Registered(AccountId accountId, String email, Credits freeCredits) {
    }

    /** @param clientAddress where the request came from, for the sign-up limit per address */
    public Registered register(String rawEmail, String password, boolean ageConfirmed, boolean termsAccepted,
                               String clientAddress) {
        String email;
        try {
            email = EmailAddress.normalize(rawEmail);
        } catch (RuntimeException e) {
            throw ApiException.invalid("email", e.getMessage());
        }
        if (!ageConfirmed) {
            throw ApiException.invalid("ageConfirmed", "you must confirm that you are 18 or older");
        }
        if (!termsAccepted) {
            throw ApiException.invalid("termsAccepted", "you must accept the Terms of Service (GET /api/terms)");
        }
        String termsVersion = terms.version();
        limit.check(clientAddress);
        // Hashing is slow by design: done before the transaction so it holds no database connection.
        String hash = passwords.hash(password);
        if (accounts.findByEmail(email).isPresent()) {
            throw emailTaken("lookup");
        }
        AccountId accountId = AccountId.generate();
        Set<Role> roles = bootstrapAdmins.contains(email) ? EnumSet.allOf(Role.class) : Set.of();
        try {
            // Commands last: nothing after them can roll the transaction back behind the aggregate cache's back.
            transaction.executeWithoutResult(status -> {
                limit.count(clientAddress);
                jdbc.sql("insert into account_credentials (account_id, password_hash, updated_at) values (?, ?, ?)")
                        .params(accountId.value(), hash, Timestamp.from(clock.instant()))
                        .update();
                verifications.issue(accountId, email);
                commands.sendAndWait(new RegisterAccount(accountId, email, true, termsVersion, roles,
                        Actor.account(accountId.value())));
                commands.sendAndWait(new OpenWallet(WalletId.of(accountId), accountId, freeCredits, Actor.SYSTEM));
            });
        } catch (RuntimeException e) {
            if (isUniqueViolation(e)) {
                // A concurrent sign-up with this email committed between the lookup and this transaction.
                throw emailTaken("constraint");
            }
            throw e;
        }
        return new Registered(accountId, email, freeCredits);
    }

    /**
     * Counted by the guard that caught it ({@code pictura.signup.email.taken}, tag {@code guard}: the lookup, or the
     * unique constraint when two sign-ups raced), so a race that reaches the constraint is visible.
     */
    private ApiException emailTaken(String guard) {
        meters.counter("pictura.signup.email.taken", "guard", guard).increment();
        return ApiException.conflict("email_taken", "An account with this email already exists.");
    }

    /** The accounts table's unique email, hit by a concurrent sign-up, surfaces wrapped by Axon or Spring. */
    static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DataIntegrityViolationException
                    || t instanceof org.hibernate.exception.ConstraintViolationException
                    || (t instanceof java.sql.SQLException sql && "23505".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
