package com.pictura.domain.account;

import java.util.Set;

import org.axonframework.serialization.Revision;

/** Everything an account can say. When it happened is the event's own timestamp. */
public sealed interface AccountEvent {

    AccountId accountId();

    @Revision("1")
    record AccountRegistered(AccountId accountId, String email, Set<Role> roles) implements AccountEvent {
    }

    /** Which version of the Terms of Service the person accepted; when is the event's timestamp. */
    @Revision("1")
    record TermsAccepted(AccountId accountId, String termsVersion) implements AccountEvent {
    }

    /** The person proved they read mail at {@code email}, the account's address at the time. */
    @Revision("1")
    record EmailVerified(AccountId accountId, String email) implements AccountEvent {
    }

    @Revision("1")
    record AccountSuspended(AccountId accountId, String reason) implements AccountEvent {
    }

    @Revision("1")
    record AccountReinstated(AccountId accountId, String reason) implements AccountEvent {
    }

    @Revision("1")
    record AccountTerminated(AccountId accountId, String reason) implements AccountEvent {
    }

    @Revision("1")
    record RoleGranted(AccountId accountId, Role role, String reason) implements AccountEvent {
    }

    @Revision("1")
    record RoleRevoked(AccountId accountId, Role role, String reason) implements AccountEvent {
    }
}
