package com.pictura.domain.wallet;

/**
 * A wallet's state after a command, returned to whoever sent it.
 *
 * @param promotional promotional credits not held (never negative)
 * @param paid        paid credits not held (negative after a purchase was reversed past what was left)
 * @param reserved    credits held for calls in flight
 */
public record WalletBalance(Credits promotional, Credits paid, Credits reserved) {

    public Credits available() {
        return promotional.plus(paid);
    }
}
