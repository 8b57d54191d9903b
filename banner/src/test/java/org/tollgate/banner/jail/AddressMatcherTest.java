package org.tollgate.banner.jail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AddressMatcherTest {

    private final AddressMatcher ignore = AddressMatcher.parse(List.of(
            "127.0.0.1/8", "::1", "10.0.0.0/8", "192.0.2.7", "2001:db8::/32", "::ffff:198.51.100.0/120", "0.0.0.0/32"));

    @ParameterizedTest
    @ValueSource(strings = {
        "127.0.0.1", "127.255.255.254", "::1", "10.0.0.0", "10.255.255.255", "192.0.2.7", "2001:db8::1",
        "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "198.51.100.9", "::ffff:10.1.2.3", "2001:DB8::5", "0.0.0.0"})
    void matchesAddressesInsideTheBlocks(String ip) {
        assertThat(ignore.matches(ip)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "128.0.0.1", "11.0.0.1", "9.255.255.255", "192.0.2.8", "::2", "2001:db9::1", "2001:db7:ffff::1",
        "198.51.101.1", "0.0.0.1", "not-an-ip", "", "localhost"})
    void doesNotMatchOthers(String ip) {
        assertThat(ignore.matches(ip)).isFalse();
    }

    @Test
    void clearsHostBitsAndWritesBlocksCanonically() {
        assertThat(ignore.entries()).containsExactly("127.0.0.0/8", "::1/128", "10.0.0.0/8", "192.0.2.7/32",
                "2001:db8::/32", "198.51.100.0/24", "0.0.0.0/32");
    }

    @Test
    void matchesEverythingWithAZeroPrefix() {
        AddressMatcher all = AddressMatcher.parse(List.of("0.0.0.0/0", "::/0"));
        assertThat(all.matches("203.0.113.9")).isTrue();
        assertThat(all.matches("2001:db8::9")).isTrue();
    }

    @Test
    void matchesIpv6PrefixesAcrossTheHalfway() {
        AddressMatcher blocks = AddressMatcher.parse(List.of("2001:db8:0:0:8000::/65", "2001:db8:1::/48"));
        assertThat(blocks.matches("2001:db8::8000:0:0:1")).isTrue();
        assertThat(blocks.matches("2001:db8::7fff:0:0:1")).isFalse();
        assertThat(blocks.matches("2001:db8:1:ffff::1")).isTrue();
        assertThat(blocks.matches("2001:db8:2::1")).isFalse();
    }

    @Test
    void unitesSets() {
        AddressMatcher self = AddressMatcher.ofAddresses(List.of(new byte[] {(byte) 203, 0, 113, 5}));
        AddressMatcher both = AddressMatcher.parse(List.of("10.0.0.0/8")).union(self);
        assertThat(both.matches("203.0.113.5")).isTrue();
        assertThat(both.matches("10.9.9.9")).isTrue();
        assertThat(both.matches("203.0.113.6")).isFalse();
        assertThat(AddressMatcher.NONE.matches("10.0.0.1")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "10.0.0.0/33", "::1/129", "10.0.0.0/", "010.0.0.1", "10.0.0.0/-1",
        "::ffff:1.2.3.4/64", "1.2.3", "192.0.2.1%eth0", "fe80::1%eth0", "10.0.0.0/8/8"})
    void refusesWhatIsNotAnAddressOrBlock(String entry) {
        assertThatThrownBy(() -> AddressMatcher.parse(List.of(entry)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was '" + entry + "'");
    }
}
