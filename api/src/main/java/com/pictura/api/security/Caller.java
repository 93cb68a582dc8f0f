package com.pictura.api.security;

import java.util.Set;

import com.pictura.domain.account.AccountId;
import com.pictura.domain.account.Role;
import com.pictura.domain.actor.Actor;

/** The signed-in account behind a request to {@code /api}, {@code /admin} or {@code /audit}. */
public record Caller(AccountId accountId, String email, Set<Role> roles) {

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /** The actor of commands sent on the caller's own behalf. */
    public Actor asAccount() {
        return Actor.account(accountId.value());
    }

    /** The actor of commands sent in a staff role. */
    public Actor asStaff() {
        return Actor.staff(accountId.value());
    }
}
