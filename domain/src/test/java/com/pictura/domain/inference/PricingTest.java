package com.pictura.domain.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.pictura.domain.inference.Pricing.ChatPrice;
import com.pictura.domain.wallet.Credits;
import org.junit.jupiter.api.Test;

class PricingTest {

    private static final ChatPrice PRICE = new ChatPrice(Credits.parse("0.2"), Credits.parse("0.6"));

    @Test
    void chatCostIsExactAndRoundsUpPerPart() {
        // 7 tokens at 0.2/M = 1.4 micro -> 2; 3 tokens at 0.6/M = 1.8 micro -> 2
        assertThat(Pricing.chat(7, 3, PRICE)).isEqualTo(Credits.ofMicros(4));
        assertThat(Pricing.chat(1_000_000, 1_000_000, PRICE)).isEqualTo(Credits.parse("0.8"));
    }

    @Test
    void affordableTokensAreTheMostThatFitTheBalance() {
        Credits available = Credits.parse("0.001");
        long affordable = Pricing.affordableOutputTokens(available, 100, PRICE);
        assertThat(Pricing.chat(100, affordable, PRICE)).isLessThanOrEqualTo(available);
        assertThat(Pricing.chat(100, affordable + 1, PRICE)).isGreaterThan(available);
        assertThat(Pricing.affordableOutputTokens(Credits.ZERO, 100, PRICE)).isZero();
    }

    @Test
    void imagePriceScalesWithStepsAndRoundsUp() {
        Credits perImage = Credits.parse("0.003");
        assertThat(Pricing.image(perImage, 4, 4)).isEqualTo(perImage);
        assertThat(Pricing.image(perImage, 8, 4)).isEqualTo(Credits.parse("0.006"));
        assertThat(Pricing.image(Credits.ofMicros(10), 1, 3)).isEqualTo(Credits.ofMicros(4));
        assertThat(Pricing.images(3, perImage)).isEqualTo(Credits.parse("0.009"));
    }
}
