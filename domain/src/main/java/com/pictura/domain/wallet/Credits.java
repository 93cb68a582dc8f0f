package com.pictura.domain.wallet;

import java.math.BigDecimal;
import java.math.RoundingMode;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An exact amount of credits, held as whole micro-credits (1 credit = 1,000,000). Arithmetic refuses to
 * overflow; there is no floating point anywhere in here.
 *
 * <p>Stored in events as the plain number of micro-credits, so the JSON stays stable for years.
 */
public record Credits(long micros) implements Comparable<Credits> {

    public static final long MICROS_PER_CREDIT = 1_000_000L;
    public static final Credits ZERO = new Credits(0);
    private static final int SCALE = 6;

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Credits ofMicros(long micros) {
        return new Credits(micros);
    }

    public static Credits of(long wholeCredits) {
        return new Credits(Math.multiplyExact(wholeCredits, MICROS_PER_CREDIT));
    }

    /**
     * Reads a decimal such as {@code "25"}, {@code "-0.5"} or {@code "12.345678"}.
     *
     * @throws IllegalArgumentException for anything else, including more than six decimals or values out of range
     */
    public static Credits parse(String text) {
        if (text == null || !text.strip().matches("[+-]?\\d{1,13}(\\.\\d{1,6})?")) {
            throw new IllegalArgumentException(
                    "credits must be a decimal number with at most 6 decimals, e.g. \"12.5\"; got: " + text);
        }
        try {
            return new Credits(new BigDecimal(text.strip()).movePointRight(SCALE).longValueExact());
        } catch (ArithmeticException outOfRange) {
            // Thirteen whole digits can exceed a long of micro-credits; say so as the contract promises.
            throw new IllegalArgumentException("credits out of range: " + text.strip(), outOfRange);
        }
    }

    @JsonValue
    public long micros() {
        return micros;
    }

    public Credits plus(Credits other) {
        return new Credits(Math.addExact(micros, other.micros));
    }

    public Credits minus(Credits other) {
        return new Credits(Math.subtractExact(micros, other.micros));
    }

    public Credits negate() {
        return new Credits(Math.negateExact(micros));
    }

    public Credits min(Credits other) {
        return micros <= other.micros ? this : other;
    }

    public Credits max(Credits other) {
        return micros >= other.micros ? this : other;
    }

    public boolean isNegative() {
        return micros < 0;
    }

    public boolean isPositive() {
        return micros > 0;
    }

    public boolean isZero() {
        return micros == 0;
    }

    public boolean isLessThan(Credits other) {
        return micros < other.micros;
    }

    public boolean isGreaterThan(Credits other) {
        return micros > other.micros;
    }

    /**
     * The cost of {@code units} at {@code pricePerMillionUnits}, rounded up to the next micro-credit so that a
     * price is never undercut by rounding.
     */
    public static Credits perMillion(long units, Credits pricePerMillionUnits) {
        BigDecimal exact = BigDecimal.valueOf(pricePerMillionUnits.micros)
                .multiply(BigDecimal.valueOf(units))
                .divide(BigDecimal.valueOf(1_000_000L), 0, RoundingMode.CEILING);
        return new Credits(exact.longValueExact());
    }

    public Credits times(long factor) {
        return new Credits(Math.multiplyExact(micros, factor));
    }

    @Override
    public int compareTo(Credits other) {
        return Long.compare(micros, other.micros);
    }

    /** Always six decimals, e.g. {@code 25.000000}: amounts line up and never look rounded. */
    @Override
    public String toString() {
        return BigDecimal.valueOf(micros, SCALE).toPlainString();
    }
}
