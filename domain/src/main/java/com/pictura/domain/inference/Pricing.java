package com.pictura.domain.inference;

import java.math.BigInteger;

import com.pictura.domain.wallet.Credits;

/**
 * How a call is priced, in exact micro-credits. One place, used for the worst case held before a call, for the
 * actual charge after it, and for the numbers in a 402.
 *
 * <p>Token prices are per million tokens and round up to the next micro-credit (a price is never undercut by
 * rounding). Image prices are per image for a size at the model's default number of steps, scaled linearly by
 * the steps asked for, again rounded up.
 */
public final class Pricing {

    private static final BigInteger MILLION = BigInteger.valueOf(1_000_000L);

    private Pricing() {
    }

    /** Prices of a chat model, per million tokens. */
    public record ChatPrice(Credits inputPerMillion, Credits outputPerMillion) {
        public ChatPrice {
            if (inputPerMillion.isNegative() || outputPerMillion.isNegative()) {
                throw new IllegalArgumentException("prices cannot be negative");
            }
        }
    }

    /** What {@code inputTokens} in and {@code outputTokens} out cost. */
    public static Credits chat(long inputTokens, long outputTokens, ChatPrice price) {
        return Credits.perMillion(inputTokens, price.inputPerMillion())
                .plus(Credits.perMillion(outputTokens, price.outputPerMillion()));
    }

    /** The most a chat call can cost: its estimated input and every output token it may produce. */
    public static Credits chatWorstCase(long estimatedInputTokens, long maxOutputTokens, ChatPrice price) {
        return chat(estimatedInputTokens, maxOutputTokens, price);
    }

    /**
     * How many output tokens {@code available} credits cover after paying for the input: the largest {@code t}
     * with {@code chat(input, t) <= available}; zero when even the input is not covered.
     */
    public static long affordableOutputTokens(Credits available, long inputTokens, ChatPrice price) {
        Credits left = available.minus(Credits.perMillion(inputTokens, price.inputPerMillion()));
        if (left.isNegative()) {
            return 0;
        }
        if (price.outputPerMillion().isZero()) {
            return Long.MAX_VALUE;
        }
        // perMillion rounds up, so ceil(t * p / 1e6) <= left  <=>  t <= left * 1e6 / p.
        BigInteger tokens = BigInteger.valueOf(left.micros()).multiply(MILLION)
                .divide(BigInteger.valueOf(price.outputPerMillion().micros()));
        return tokens.min(BigInteger.valueOf(Long.MAX_VALUE)).longValueExact();
    }

    /**
     * The price of one image of a size priced {@code pricePerImageAtDefaultSteps}, made with {@code steps}
     * denoising steps when the model's default is {@code defaultSteps}.
     */
    public static Credits image(Credits pricePerImageAtDefaultSteps, int steps, int defaultSteps) {
        if (steps <= 0 || defaultSteps <= 0) {
            throw new IllegalArgumentException("steps must be positive");
        }
        BigInteger[] qr = BigInteger.valueOf(pricePerImageAtDefaultSteps.micros()).multiply(BigInteger.valueOf(steps))
                .divideAndRemainder(BigInteger.valueOf(defaultSteps));
        long micros = qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0);
        return Credits.ofMicros(micros);
    }

    /** {@code n} images of one kind. */
    public static Credits images(int n, Credits pricePerImage) {
        return pricePerImage.times(n);
    }
}
