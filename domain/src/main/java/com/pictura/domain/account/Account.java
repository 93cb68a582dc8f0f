package com.pictura.domain.account;

import static com.pictura.domain.InvalidCommand.require;
import static com.pictura.domain.InvalidCommand.requireText;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.util.EnumSet;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.pictura.domain.account.AccountCommand.GrantRole;
import com.pictura.domain.account.AccountCommand.RegisterAccount;
import com.pictura.domain.account.AccountCommand.ReinstateAccount;
import com.pictura.domain.account.AccountCommand.RevokeRole;
import com.pictura.domain.account.AccountCommand.SuspendAccount;
import com.pictura.domain.account.AccountCommand.TerminateAccount;
import com.pictura.domain.account.AccountCommand.VerifyEmail;
import com.pictura.domain.account.AccountEvent.AccountRegistered;
import com.pictura.domain.account.AccountEvent.AccountReinstated;
import com.pictura.domain.account.AccountEvent.AccountSuspended;
import com.pictura.domain.account.AccountEvent.EmailVerified;
import com.pictura.domain.account.AccountEvent.RoleGranted;
import com.pictura.domain.account.AccountEvent.RoleRevoked;
import com.pictura.domain.account.AccountEvent.TermsAccepted;
import com.pictura.domain.account.AccountRefusals.AccountNotSuspended;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.serialization.Revision;

/**
 * A person's account: who they are (an email, and whether they proved they read it), whether they may use the
 * service, and any staff roles.
 * Suspending and terminating take effect on the next request, on every node, through the accounts lookup table
 * that is written in the same transaction as these events.
 */
@Revision("2") // of the snapshot shape: bump on any change of fields; other revisions are ignored
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE, isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class Account {

    @AggregateIdentifier
    private AccountId accountId;
    private String email;
    private boolean emailVerified;
    private AccountStatus status;
    private final Set<Role> roles = EnumSet.noneOf(Role.class);

    protected Account() {
        // for Axon
    }

    @CommandHandler
    public Account(RegisterAccount cmd) {
        require(cmd.ageConfirmed(), "you must confirm that you are 18 or older");
        String termsVersion = requireText(cmd.termsVersion(), "termsVersion");
        String email = EmailAddress.normalize(cmd.email());
        Set<Role> roles = cmd.roles() == null || cmd.roles().isEmpty() ? Set.of() : EnumSet.copyOf(cmd.roles());
        apply(new AccountRegistered(cmd.accountId(), email, roles));
        apply(new TermsAccepted(cmd.accountId(), termsVersion));
    }

    @CommandHandler
    public void handle(VerifyEmail cmd) {
        requireNotTerminated();
        if (!emailVerified) {
            apply(new EmailVerified(accountId, email));
        }
    }

    @CommandHandler
    public void handle(SuspendAccount cmd) {
        String reason = requireText(cmd.reason(), "reason");
        requireNotTerminated();
        if (status == AccountStatus.ACTIVE) {
            apply(new AccountSuspended(accountId, reason));
        }
    }

    @CommandHandler
    public void handle(ReinstateAccount cmd) {
        String reason = requireText(cmd.reason(), "reason");
        requireNotTerminated();
        if (status != AccountStatus.SUSPENDED) {
            throw new AccountNotSuspended(accountId);
        }
        apply(new AccountReinstated(accountId, reason));
    }

    @CommandHandler
    public void handle(TerminateAccount cmd) {
        String reason = requireText(cmd.reason(), "reason");
        if (status != AccountStatus.TERMINATED) {
            apply(new AccountEvent.AccountTerminated(accountId, reason));
        }
    }

    @CommandHandler
    public void handle(GrantRole cmd) {
        require(cmd.role() != null, "role is required");
        String reason = requireText(cmd.reason(), "reason");
        requireNotTerminated();
        if (!roles.contains(cmd.role())) {
            apply(new RoleGranted(accountId, cmd.role(), reason));
        }
    }

    @CommandHandler
    public void handle(RevokeRole cmd) {
        require(cmd.role() != null, "role is required");
        String reason = requireText(cmd.reason(), "reason");
        if (roles.contains(cmd.role())) {
            apply(new RoleRevoked(accountId, cmd.role(), reason));
        }
    }

    @EventSourcingHandler
    void on(AccountRegistered e) {
        accountId = e.accountId();
        email = e.email();
        status = AccountStatus.ACTIVE;
        roles.addAll(e.roles());
    }

    @EventSourcingHandler
    void on(EmailVerified e) {
        emailVerified = true;
    }

    @EventSourcingHandler
    void on(AccountSuspended e) {
        status = AccountStatus.SUSPENDED;
    }

    @EventSourcingHandler
    void on(AccountReinstated e) {
        status = AccountStatus.ACTIVE;
    }

    @EventSourcingHandler
    void on(AccountEvent.AccountTerminated e) {
        status = AccountStatus.TERMINATED;
    }

    @EventSourcingHandler
    void on(RoleGranted e) {
        roles.add(e.role());
    }

    @EventSourcingHandler
    void on(RoleRevoked e) {
        roles.remove(e.role());
    }

    private void requireNotTerminated() {
        if (status == AccountStatus.TERMINATED) {
            throw new AccountRefusals.AccountIsTerminated(accountId);
        }
    }
}
