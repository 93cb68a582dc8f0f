package com.pictura.domain.wallet;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * What one API key has been charged through a wallet: on one UTC day, in one UTC month, and ever. A charge counts
 * when it is made; a refund gives the wallet its credits back but not the key its allowance (docs/gateway.md).
 */
record KeySpend(LocalDate day, Credits onDay, YearMonth month, Credits inMonth, Credits lifetime) {

    static final KeySpend NONE = new KeySpend(null, Credits.ZERO, null, Credits.ZERO, Credits.ZERO);

    KeySpend plus(Credits amount, Instant at) {
        LocalDate chargedOn = LocalDate.ofInstant(at, ZoneOffset.UTC);
        YearMonth chargedIn = YearMonth.from(chargedOn);
        return new KeySpend(chargedOn, (chargedOn.equals(day) ? onDay : Credits.ZERO).plus(amount),
                chargedIn, (chargedIn.equals(month) ? inMonth : Credits.ZERO).plus(amount), lifetime.plus(amount));
    }

    Credits today(Instant now) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC).equals(day) ? onDay : Credits.ZERO;
    }

    Credits thisMonth(Instant now) {
        return YearMonth.from(LocalDate.ofInstant(now, ZoneOffset.UTC)).equals(month) ? inMonth : Credits.ZERO;
    }
}
