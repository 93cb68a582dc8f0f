package com.pictura.projections.account;

import java.time.Instant;
import java.util.Set;

import com.pictura.domain.account.AccountEvent.AccountRegistered;
import com.pictura.domain.account.AccountEvent.AccountReinstated;
import com.pictura.domain.account.AccountEvent.AccountSuspended;
import com.pictura.domain.account.AccountEvent.AccountTerminated;
import com.pictura.domain.account.AccountEvent.EmailVerified;
import com.pictura.domain.account.AccountEvent.RoleGranted;
import com.pictura.domain.account.AccountEvent.RoleRevoked;
import com.pictura.domain.account.AccountEvent.TermsAccepted;
import com.pictura.domain.account.AccountStatus;
import com.pictura.domain.account.Role;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.stereotype.Component;

/**
 * The accounts table. Subscribing (see application.yml): it is written in the same transaction as the account's
 * events, so a second sign-up with the same email fails on the unique constraint and stores nothing, and a
 * suspension stops the account's keys on the very next request, on every node; a verified email lets its owner
 * issue keys at once.
 */
@Component
@ProcessingGroup(AccountLookupProjection.GROUP)
public class AccountLookupProjection {

    public static final String GROUP = "account-lookup";

    private final AccountRepository accounts;

    public AccountLookupProjection(AccountRepository accounts) {
        this.accounts = accounts;
    }

    @EventHandler
    void on(AccountRegistered e, @Timestamp Instant at) {
        // Flushed at once so that a duplicate email fails here, inside the command, not later at commit.
        accounts.saveAndFlush(new AccountRow(e.accountId().value(), e.email(), e.roles(), at));
    }

    @EventHandler
    void on(TermsAccepted e, @Timestamp Instant at) {
        accounts.findById(e.accountId().value()).ifPresent(row -> row.setTermsAccepted(e.termsVersion(), at));
    }

    @EventHandler
    void on(EmailVerified e, @Timestamp Instant at) {
        accounts.findById(e.accountId().value()).ifPresent(row -> row.setEmailVerified(at));
    }

    @EventHandler
    void on(AccountSuspended e, @Timestamp Instant at) {
        status(e.accountId().value(), AccountStatus.SUSPENDED, at);
    }

    @EventHandler
    void on(AccountReinstated e, @Timestamp Instant at) {
        status(e.accountId().value(), AccountStatus.ACTIVE, at);
    }

    @EventHandler
    void on(AccountTerminated e, @Timestamp Instant at) {
        status(e.accountId().value(), AccountStatus.TERMINATED, at);
    }

    @EventHandler
    void on(RoleGranted e) {
        accounts.findById(e.accountId().value()).ifPresent(row -> {
            Set<Role> roles = row.roles();
            roles.add(e.role());
            row.setRoles(roles);
        });
    }

    @EventHandler
    void on(RoleRevoked e) {
        accounts.findById(e.accountId().value()).ifPresent(row -> {
            Set<Role> roles = row.roles();
            roles.remove(e.role());
            row.setRoles(roles);
        });
    }

    private void status(String accountId, AccountStatus status, Instant at) {
        accounts.findById(accountId).ifPresent(row -> row.setStatus(status, at));
    }
}
