package com.pictura.domain.wallet;

/**
 * What one ledger event does to a wallet: the change of each lot. Available credits change by
 * {@code promotional + paid}; {@code reserved} is what is held for calls in flight.
 */
public record Movement(Credits promotional, Credits paid, Credits reserved) {

    public static final Movement NONE = new Movement(Credits.ZERO, Credits.ZERO, Credits.ZERO);

    public Credits available() {
        return promotional.plus(paid);
    }
}
