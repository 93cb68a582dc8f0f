package com.pictura.domain.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class CreditsTest {

    @ParameterizedTest(name = "\"{0}\" parses to {1} micro-credits")
    @CsvSource(delimiter = '|', value = {
            "25             | 25000000",
            "0              | 0",
            "-0.5           | -500000",
            "+1.25          | 1250000",
            "12.345678      | 12345678",
            "0.000001       | 1",
            "'  7.5  '      | 7500000",
            "9000000000000  | 9000000000000000000",
    })
    void parsesDecimalsWithUpToSixPlaces(String text, long micros) {
        assertThat(Credits.parse(text)).isEqualTo(Credits.ofMicros(micros));
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @NullSource
    @ValueSource(strings = {"", " ", "abc", "1.2345678", "0.0000001", "1,5", "1e6", "1.", ".5", "--1", "12 5",
            "NaN", "Infinity", "0x10", "12345678901234"})
    void parseRefusesAnythingButAPlainDecimal(String text) {
        assertThatThrownBy(() -> Credits.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "\"{0}\" is out of range")
    @ValueSource(strings = {"9999999999999", "-9999999999999", "9223372036854.775808"})
    void parseRefusesValuesOutOfRangeAsAnIllegalArgument(String text) {
        assertThatThrownBy(() -> Credits.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parseAcceptsTheLargestRepresentableAmount() {
        assertThat(Credits.parse("9223372036854.775807").micros()).isEqualTo(Long.MAX_VALUE);
    }

    @ParameterizedTest(name = "{0} micro-credits format as \"{1}\"")
    @CsvSource(delimiter = '|', value = {
            "25000000  | 25.000000",
            "0         | 0.000000",
            "1         | 0.000001",
            "-500000   | -0.500000",
            "12345678  | 12.345678",
    })
    void formatsWithExactlySixDecimals(long micros, String text) {
        assertThat(Credits.ofMicros(micros)).hasToString(text);
    }

    @Test
    void formattingAndParsingRoundTrip() {
        for (long micros : new long[] {0, 1, -1, 999_999, 1_000_000, 123_456_789_012L, Long.MAX_VALUE, -Long.MAX_VALUE}) {
            Credits credits = Credits.ofMicros(micros);
            assertThat(Credits.parse(credits.toString())).isEqualTo(credits);
        }
    }

    @Test
    void wholeCreditsAreAMillionMicros() {
        assertThat(Credits.of(25).micros()).isEqualTo(25_000_000L);
        assertThat(Credits.of(-3)).isEqualTo(Credits.parse("-3"));
    }

    @Test
    void arithmeticIsExact() {
        Credits a = Credits.parse("0.1");
        Credits b = Credits.parse("0.2");
        assertThat(a.plus(b)).isEqualTo(Credits.parse("0.3"));
        assertThat(a.minus(b)).isEqualTo(Credits.parse("-0.1"));
        assertThat(a.negate()).isEqualTo(Credits.parse("-0.1"));
        assertThat(a.times(3)).isEqualTo(Credits.parse("0.3"));
    }

    @Test
    void arithmeticRefusesToOverflow() {
        Credits max = Credits.ofMicros(Long.MAX_VALUE);
        Credits min = Credits.ofMicros(Long.MIN_VALUE);
        assertThatThrownBy(() -> max.plus(Credits.ofMicros(1))).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> min.minus(Credits.ofMicros(1))).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(min::negate).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> max.times(2)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Credits.of(Long.MAX_VALUE / 1_000_000L + 1)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Credits.perMillion(Long.MAX_VALUE, max)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void comparisons() {
        Credits one = Credits.of(1);
        Credits two = Credits.of(2);
        assertThat(one.isLessThan(two)).isTrue();
        assertThat(two.isLessThan(one)).isFalse();
        assertThat(one.isLessThan(one)).isFalse();
        assertThat(two.isGreaterThan(one)).isTrue();
        assertThat(one.isGreaterThan(one)).isFalse();
        assertThat(one.min(two)).isEqualTo(one);
        assertThat(one.max(two)).isEqualTo(two);
        assertThat(one.compareTo(two)).isNegative();
        assertThat(Credits.ZERO.isZero()).isTrue();
        assertThat(Credits.ZERO.isPositive()).isFalse();
        assertThat(Credits.ZERO.isNegative()).isFalse();
        assertThat(one.negate().isNegative()).isTrue();
    }

    @ParameterizedTest(name = "{0} units at {1} per million cost {2}")
    @CsvSource(delimiter = '|', value = {
            "1000000 | 2.000000 | 2.000000",
            "1       | 2.000000 | 0.000002",
            "1       | 0.500000 | 0.000001",
            "3       | 0.333333 | 0.000001",
            "1500    | 0.150000 | 0.000225",
            "1501    | 0.150000 | 0.000226",
            "0       | 5.000000 | 0.000000",
            "7       | 0.000000 | 0.000000",
    })
    void perMillionRoundsUpToTheNextMicroCredit(long units, String pricePerMillion, String expected) {
        assertThat(Credits.perMillion(units, Credits.parse(pricePerMillion))).isEqualTo(Credits.parse(expected));
    }

    @Test
    void perMillionNeverUndercutsTheExactPrice() {
        Credits price = Credits.parse("0.600000"); // 0.6 micro-credits per unit
        for (long units = 1; units <= 2_000; units++) {
            long charged = Credits.perMillion(units, price).micros();
            // exact cost in micro-credits is units * 0.6 = units * 600000 / 1000000
            assertThat(charged * 1_000_000L).isGreaterThanOrEqualTo(units * price.micros());
            assertThat((charged - 1) * 1_000_000L).isLessThan(units * price.micros());
        }
    }
}
