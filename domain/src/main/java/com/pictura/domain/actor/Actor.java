package com.pictura.domain.actor;

import java.util.Objects;

/**
 * Who asked for a change: an account holder, a staff member, the system itself, or Stripe. Travels in every
 * command and ends up in the metadata of every event the command causes.
 */
public record Actor(Kind kind, String id) {

    public enum Kind { ACCOUNT, STAFF, SYSTEM, STRIPE }

    public static final Actor SYSTEM = new Actor(Kind.SYSTEM, "pictura");

    public Actor {
        Objects.requireNonNull(kind, "kind");
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("an actor needs an id");
        }
    }

    public static Actor account(String accountId) {
        return new Actor(Kind.ACCOUNT, accountId);
    }

    public static Actor staff(String accountId) {
        return new Actor(Kind.STAFF, accountId);
    }

    public static Actor stripe(String stripeEventId) {
        return new Actor(Kind.STRIPE, stripeEventId);
    }

    /** {@code account:acct_…}, {@code staff:acct_…}, {@code system:pictura}, {@code stripe:evt_…}. */
    @Override
    public String toString() {
        return kind.name().toLowerCase() + ":" + id;
    }

    /** Reads {@link #toString()}'s form back. @throws IllegalArgumentException for anything else */
    public static Actor parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("not an actor: " + text);
        }
        return new Actor(Kind.valueOf(text.substring(0, colon).toUpperCase()), text.substring(colon + 1));
    }
}
