package com.pictura.domain.account;

import java.util.Set;

import com.pictura.domain.actor.Actor;
import com.pictura.domain.actor.Attributed;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Everything an account can be asked to do. Passwords never travel in commands or events. */
public sealed interface AccountCommand extends Attributed {

    AccountId accountId();

    /**
     * {@code email} must already be normalized ({@link EmailAddress}); its uniqueness is checked by the caller.
     * {@code termsVersion} is the version of the Terms of Service the person accepted by signing up.
     */
    record RegisterAccount(@TargetAggregateIdentifier AccountId accountId, String email, boolean ageConfirmed,
                           String termsVersion, Set<Role> roles, Actor actor) implements AccountCommand {
    }

    /** The owner proved they read mail at the account's address (the caller checked the link's token). */
    record VerifyEmail(@TargetAggregateIdentifier AccountId accountId, Actor actor) implements AccountCommand {
    }

    record SuspendAccount(@TargetAggregateIdentifier AccountId accountId, String reason, Actor actor)
            implements AccountCommand {
    }

    record ReinstateAccount(@TargetAggregateIdentifier AccountId accountId, String reason, Actor actor)
            implements AccountCommand {
    }

    record TerminateAccount(@TargetAggregateIdentifier AccountId accountId, String reason, Actor actor)
            implements AccountCommand {
    }

    record GrantRole(@TargetAggregateIdentifier AccountId accountId, Role role, String reason, Actor actor)
            implements AccountCommand {
    }

    record RevokeRole(@TargetAggregateIdentifier AccountId accountId, Role role, String reason, Actor actor)
            implements AccountCommand {
    }
}
