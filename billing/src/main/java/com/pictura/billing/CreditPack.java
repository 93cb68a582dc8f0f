package com.pictura.billing;

import java.math.BigDecimal;

import com.pictura.domain.wallet.Credits;

/**
 * A pack of credits on sale.
 *
 * @param id         stable id used by clients and kept in Stripe metadata ({@code credits-500})
 * @param credits    whole credits the buyer receives
 * @param priceCents the price in the smallest unit of the billing currency (cents)
 */
public record CreditPack(String id, long credits, long priceCents) {

    public CreditPack {
        if (id == null || !id.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
            throw new IllegalArgumentException("a credit pack id must be lower-case letters, digits, - or _: " + id);
        }
        if (credits <= 0 || priceCents <= 0) {
            throw new IllegalArgumentException("credit pack " + id + " needs positive credits and price");
        }
    }

    public Credits amount() {
        return Credits.of(credits);
    }

    /** {@code 5.00}: the price in currency units, two decimals. */
    public String price() {
        return BigDecimal.valueOf(priceCents, 2).toPlainString();
    }
}
