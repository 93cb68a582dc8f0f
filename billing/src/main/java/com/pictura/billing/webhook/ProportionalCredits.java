package com.pictura.billing.webhook;

import java.math.BigInteger;

/**
 * How many credits a refunded or disputed amount takes back from a purchase: the purchased credits times the
 * share of the price taken back, rounded down to the micro-credit. Computed on the running total, never per
 * refund, so that however a purchase is refunded in parts, the parts add up to exactly the proportion of the
 * total, a full refund takes back exactly every credit bought, and nothing is ever taken back twice.
 */
public final class ProportionalCredits {

    private ProportionalCredits() {
    }

    /**
     * @return micro-credits to take back now, given {@code alreadyCents} / {@code alreadyCredits} taken back
     *         before and {@code newCents} more coming back now (capped at the price)
     */
    public static Step next(long creditsMicros, long priceCents, long alreadyCents, long alreadyCredits, long newCents) {
        if (priceCents <= 0 || creditsMicros <= 0 || newCents < 0 || alreadyCents < 0) {
            throw new IllegalArgumentException("credits, price and amounts must be positive");
        }
        long totalCents = Math.min(priceCents, alreadyCents + newCents);
        long totalCredits = BigInteger.valueOf(creditsMicros)
                .multiply(BigInteger.valueOf(totalCents))
                .divide(BigInteger.valueOf(priceCents))
                .longValueExact();
        long credits = Math.max(0, totalCredits - alreadyCredits);
        return new Step(totalCents, Math.max(totalCredits, alreadyCredits), credits);
    }

    /**
     * @param reversedCents   cents taken back in all, after this step
     * @param reversedCredits micro-credits taken back in all, after this step
     * @param credits         micro-credits this step takes back
     */
    public record Step(long reversedCents, long reversedCredits, long credits) {
    }
}
