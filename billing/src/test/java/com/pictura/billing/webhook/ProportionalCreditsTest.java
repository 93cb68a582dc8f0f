package com.pictura.billing.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;

class ProportionalCreditsTest {

    private static final long CREDITS_500 = 500_000_000L;   // micro-credits

    @Test
    void aFullRefundTakesBackExactlyEveryCredit() {
        var step = ProportionalCredits.next(CREDITS_500, 500, 0, 0, 500);

        assertThat(step.credits()).isEqualTo(CREDITS_500);
        assertThat(step.reversedCents()).isEqualTo(500);
    }

    @Test
    void aPartialRefundTakesBackItsShareRoundedDown() {
        // 500 credits for $3: one cent is 1.666666(6) credits.
        var step = ProportionalCredits.next(CREDITS_500, 300, 0, 0, 1);

        assertThat(step.credits()).isEqualTo(1_666_666L);
    }

    @Test
    void refundsInManyPartsAddUpToExactlyThePurchase() {
        long price = 300;
        long cents = 0;
        long credits = 0;
        long sum = 0;
        Random random = new Random(42);
        while (cents < price) {
            long part = Math.min(price - cents, 1 + random.nextInt(7));
            var step = ProportionalCredits.next(CREDITS_500, price, cents, credits, part);
            sum += step.credits();
            cents = step.reversedCents();
            credits = step.reversedCredits();
            assertThat(sum).isLessThanOrEqualTo(CREDITS_500 * cents / price);
        }
        assertThat(sum).isEqualTo(CREDITS_500);
    }

    @Test
    void moreThanThePriceIsCappedAtThePurchase() {
        var first = ProportionalCredits.next(CREDITS_500, 500, 0, 0, 400);
        var second = ProportionalCredits.next(CREDITS_500, 500, first.reversedCents(), first.reversedCredits(), 400);

        assertThat(first.credits() + second.credits()).isEqualTo(CREDITS_500);
        assertThat(second.reversedCents()).isEqualTo(500);
    }
}
