package com.pictura.domain.wallet;

import java.time.Instant;
import java.util.Optional;

import com.pictura.domain.InvalidCommand;
import com.pictura.domain.wallet.WalletRefusals.KeyLimitReached;

/**
 * What one API key may spend through its wallet per UTC day, per UTC month and over its whole life; a null limit
 * is no limit. The key's owner sets them; the wallet enforces them where it decides every hold, so calls that
 * arrive together, on any node, cannot pass a limit together.
 */
public record SpendLimits(Credits daily, Credits monthly, Credits lifetime) {

    public static final SpendLimits NONE = new SpendLimits(null, null, null);

    public SpendLimits {
        for (Credits limit : new Credits[] {daily, monthly, lifetime}) {
            InvalidCommand.require(limit == null || limit.isPositive(), "a spending limit must be positive");
        }
    }

    public boolean isNone() {
        return daily == null && monthly == null && lifetime == null;
    }

    /**
     * The first limit that {@code amount} more would pass, given what the key has spent and what its open holds
     * keep: spent and held count alike, since a hold may become a charge of its whole amount.
     */
    Optional<KeyLimitReached> passedBy(Credits amount, KeySpend spent, Credits held, Instant now) {
        if (passes(daily, spent.today(now), held, amount)) {
            return Optional.of(new KeyLimitReached("daily", daily, spent.today(now).plus(held), amount));
        }
        if (passes(monthly, spent.thisMonth(now), held, amount)) {
            return Optional.of(new KeyLimitReached("monthly", monthly, spent.thisMonth(now).plus(held), amount));
        }
        if (passes(lifetime, spent.lifetime(), held, amount)) {
            return Optional.of(new KeyLimitReached("lifetime", lifetime, spent.lifetime().plus(held), amount));
        }
        return Optional.empty();
    }

    private static boolean passes(Credits limit, Credits spent, Credits held, Credits amount) {
        return limit != null && spent.plus(held).plus(amount).isGreaterThan(limit);
    }
}
