package org.tollgate.normalizer.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralTest {

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.7", "0.0.0.0", "255.255.255.255", "198.51.100.66", "203.0.113.5", "203.0.113.4"})
    void dottedQuadsAreIpv4AndAlreadyCanonical(String ip) {
        assertThat(IpLiteral.isIpv4(ip, 0, ip.length())).isTrue();
        assertThat(IpLiteral.canonical(ip)).isEqualTo(ip);
        assertThat(IpLiteral.toBytes(ip)).hasSize(4);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "192.0.2.010", "192.0.2.07", "010.0.2.7", "00.0.0.0", // leading zeros: octal to inet_aton
        "192.0.2.256", "256.0.0.1", "999.1.1.1", "192.0.2", "192.0.2.7.8", "192.0.2.", ".192.0.2.7", "192..2.7",
        "0x7f.0.0.1", "0177.0.0.1", "2130706433", "127.1", "192.0.2.7 ", " 192.0.2.7", "192.0.2.-1", "203.0.113.4a",
        "192.0.2.7:5060", "localhost", "pbx.example.net", "", "1111.0.113.1", "192.0.2.1000",
    })
    void everythingElseIsNotIpv4(String text) {
        assertThat(IpLiteral.isIpv4(text, 0, text.length())).as(text).isFalse();
        if (!text.contains(":")) {
            assertThat(IpLiteral.canonical(text)).as(text).isNull();
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "2001:db8::7, 2001:db8::7",
        "2001:DB8::7, 2001:db8::7",
        "2001:0db8:0000:0000:0000:0000:0000:0007, 2001:db8::7",
        "2001:db8:0:0:0:0:0:7, 2001:db8::7",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
        "2001:db8:1:1:1:1:1:0, 2001:db8:1:1:1:1:1:0",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "::, ::",
        "::1, ::1",
        "1::, 1::",
        "fe80::1, fe80::1",
        "::ffff:192.0.2.7, 192.0.2.7",
        "::FFFF:c000:0207, 192.0.2.7",
        "0:0:0:0:0:ffff:192.0.2.7, 192.0.2.7",
        "::192.0.2.7, ::c000:207",
        "64:ff9b::192.0.2.7, 64:ff9b::c000:207",
        "2001:db8::192.0.2.33, 2001:db8::c000:221",
    })
    void ipv6IsWrittenTheRfc5952WayAndMappedIpv4AsIpv4(String text, String canonical) {
        assertThat(IpLiteral.canonical(text)).isEqualTo(canonical);
        assertThat(IpLiteral.canonical(canonical)).as("canonical text is stable").isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        ":::", "1:::2", "2001:db8::7::1", "2001:db8:0:0:0:0:0:0:7", "2001:db8:0:0:0:0:7", "12345::1", "2001:db8::g",
        "[2001:db8::7]", "2001:db8::7%eth0", "fe80::1%1", ":1", "1:", "2001:db8::192.0.2.010", "::ffff:192.0.2.256",
        "::192.0.2", "2001:db8:1:2:3:4:5:192.0.2.7", "203.0.113.4::", " ::1", "::1 ", "2001:db8::7/64", "::-1",
    })
    void malformedIpv6IsRejected(String text) {
        assertThat(IpLiteral.canonical(text)).as(text).isNull();
        assertThat(IpLiteral.toBytes(text)).as(text).isNull();
    }

    @Test
    void aRangeOfALargerTextIsReadWithoutCopying() {
        String line = "failed for '192.0.2.10' and [2001:db8::7]";
        assertThat(IpLiteral.canonical(line, 12, 22)).isEqualTo("192.0.2.10");
        assertThat(IpLiteral.canonical(line, 29, 40)).isEqualTo("2001:db8::7");
        assertThat(IpLiteral.canonical(line, 11, 22)).isNull();
        assertThat(IpLiteral.canonical(line, -1, 3)).isNull();
        assertThat(IpLiteral.canonical(line, 5, 500)).isNull();
        assertThat(IpLiteral.canonical(line, 7, 7)).isNull();
    }

    @Test
    void bytesRoundTrip() {
        assertThat(IpLiteral.toBytes("192.0.2.7")).containsExactly(192, 0, 2, 7);
        assertThat(IpLiteral.toBytes("::ffff:192.0.2.7")).as("mapped comes back as IPv4").containsExactly(192, 0, 2, 7);
        byte[] v6 = IpLiteral.toBytes("2001:db8::7");
        assertThat(v6).hasSize(16);
        assertThat(IpLiteral.format(v6)).isEqualTo("2001:db8::7");
        assertThat(IpLiteral.format(new byte[] {(byte) 203, 0, 113, 5})).isEqualTo("203.0.113.5");
        assertThat(IpLiteral.toBytes("")).isNull();
        assertThatThrownBy(() -> IpLiteral.format(new byte[5])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4 or 16");
    }

    @Test
    void aSingleZeroGroupIsNotCompressedAndTheFirstOfEqualRunsIs() {
        assertThat(IpLiteral.format(IpLiteral.toBytes("2001:db8:0:1:1:1:1:1"))).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(IpLiteral.format(IpLiteral.toBytes("2001:0:0:1:1:0:0:1"))).isEqualTo("2001::1:1:0:0:1");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}: {1}")
    @org.junit.jupiter.params.provider.CsvSource({
        "0.0.0.0, the unspecified address (0.0.0.0/8)",
        "0.1.2.3, the unspecified address (0.0.0.0/8)",
        "::, the unspecified address (::)",
        "127.0.0.1, a loopback address (127.0.0.0/8)",
        "127.255.0.9, a loopback address (127.0.0.0/8)",
        "::1, the loopback address (::1)",
        "::ffff:127.0.0.1, a loopback address (127.0.0.0/8)",
        "224.0.0.1, a multicast address (224.0.0.0/4)",
        "239.255.255.250, a multicast address (224.0.0.0/4)",
        "ff02::1, a multicast address (ff00::/8)",
        "255.255.255.255, the broadcast address"})
    void addressesNoFirewallMayBanAreNamedWithTheirClass(String text, String why) {
        byte[] address = IpLiteral.toBytes(text);
        org.assertj.core.api.Assertions.assertThat(IpLiteral.unbannable(address)).isEqualTo(why);
        org.assertj.core.api.Assertions.assertThat(IpLiteral.isBannable(address)).isFalse();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"192.0.2.7", "198.51.100.255", "203.0.113.0", "1.0.0.1",
        "223.255.255.255", "240.0.0.1", "255.255.255.254", "2001:db8::7", "::2", "fe80::1", "::ffff:192.0.2.7"})
    void everyOtherAddressMayBeBanned(String text) {
        org.assertj.core.api.Assertions.assertThat(IpLiteral.unbannable(IpLiteral.toBytes(text))).isNull();
    }
}
