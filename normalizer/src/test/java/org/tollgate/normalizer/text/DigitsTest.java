package org.tollgate.normalizer.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DigitsTest {

    @Test
    void readsTheDigitsOfARangeAndNothingElse() {
        assertThat(Digits.parseLong("x12345y", 1, 6)).isEqualTo(12345);
        assertThat(Digits.parseInt("5060", 0, 4)).isEqualTo(5060);
        assertThat(Digits.parseInt("", 0, 0)).isEqualTo(-1);
        assertThat(Digits.parseInt("12a4", 0, 4)).isEqualTo(-1);
        assertThat(Digits.parseInt("-1", 0, 2)).isEqualTo(-1);
    }

    @Test
    void refusesMoreDigitsThanAskedForOrThanFit() {
        assertThat(Digits.parseInt("123456", 0, 6, 5)).isEqualTo(-1);
        assertThat(Digits.parseInt("1234567890", 0, 10)).as("ten digits overflow an int").isEqualTo(-1);
        assertThat(Digits.parseLong("999999999999999999", 0, 18)).isEqualTo(999_999_999_999_999_999L);
        assertThat(Digits.parseLong("9999999999999999999", 0, 19)).as("nineteen digits may overflow a long").isEqualTo(-1);
    }

    @Test
    void findsTheEndAndTheStartOfARun() {
        assertThat(Digits.end("[2290] x", 1, 8)).isEqualTo(5);
        assertThat(Digits.end("123456", 0, 6, 4)).isEqualTo(4);
        assertThat(Digits.end("abc", 0, 3)).isEqualTo(0);
        assertThat(Digits.startBefore("processing 441 bytes", 0, 14)).isEqualTo(11);
        assertThat(Digits.all("2026", 0, 4)).isTrue();
        assertThat(Digits.all("20x6", 0, 4)).isFalse();
        assertThat(Digits.all("", 0, 0)).isFalse();
    }

    @Test
    void scansARunAndItsValueInOnePass() {
        long scanned = Digits.scanInt("at 17:39", 3, 8, 2);
        assertThat(Digits.end(scanned)).isEqualTo(5);
        assertThat(Digits.value(scanned)).isEqualTo(17);
        assertThat(Digits.end(Digits.scanInt("x1", 0, 2, 4))).isZero();
        assertThat(Digits.value(Digits.scanInt("123456789012", 0, 12, 12))).as("at most nine digits").isEqualTo(123456789);
    }
}
