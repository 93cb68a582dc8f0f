package com.pictura.domain.account;

import java.util.Set;

import com.pictura.domain.actor.Actor;
import com.pictura.domain.actor.Attributed;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Everything an account can be asked to do. Passwords never travel in commands or events. */
public sealed interface AccountCommand extends Attributed {

    AccountId accountId();

    /** {@code email} must already be normalized ({@link EmailAddress}); its uniqueness is checked by the caller. */
    record RegisterAccount(@TargetAggregateIdentifier AccountId accountId, String email, boolean ageConfirmed,
                           Set<Role> roles, Actor actor) implements AccountCommand {
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
