package org.tollgate.normalizer.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The address renderings of the catalog's §1, each read exactly and nothing else. */
class EndpointsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "192.0.2.7, 192.0.2.7, -1",                    // ast_inet_ntoa, ast_sockaddr_stringify_addr
        "192.0.2.7:5060, 192.0.2.7, 5060",             // ast_sockaddr_stringify
        "[2001:db8::7]:5060, 2001:db8::7, 5060",       // ast_sockaddr_stringify, pj_sockaddr_print(…, 3)
        "[2001:db8::7], 2001:db8::7, -1",
        "2001:db8::7, 2001:db8::7, -1",                // ast_sockaddr_stringify_addr: no brackets
        "[::ffff:192.0.2.7]:5060, 192.0.2.7, 5060",
        "192.0.2.7:0, 192.0.2.7, 0",
        "192.0.2.7:65535, 192.0.2.7, 65535",
    })
    void parseReadsTheStringifyRenderings(String text, String ip, int port) {
        assertThat(Endpoints.parse(text, 0, text.length())).isEqualTo(new Endpoint(ip, port));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "192.0.2.7:", "192.0.2.7:65536", "192.0.2.7:-1", "192.0.2.7:506000", "192.0.2.7:5060:1", "[2001:db8::7]5060",
        "[2001:db8::7]:", "[2001:db8::7", "2001:db8::7]:5060", "[192.0.2.7]x", "host:5060", "192.0.2.7 :5060",
        "192.0.2.010:5060", "[fe80::1%eth0]:5060", "192.0.2.7:5o60", "'192.0.2.7'",
    })
    void parseRejectsAnythingElse(String text) {
        assertThat(Endpoints.parse(text, 0, text.length())).as(text).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "192.0.2.7:5060, 192.0.2.7, 5060",
        "2001:db8::7:5060, 2001:db8::7, 5060",         // res_pjsip "%s:%d": unbracketed, split at the last colon
        "2001:db8:::5060, 2001:db8::, 5060",
        "[2001:db8::7]:5061, 2001:db8::7, 5061",
        "::ffff:192.0.2.7:5060, 192.0.2.7, 5060",
    })
    void parseWithTrailingPortReadsThePjsipRendering(String text, String ip, int port) {
        assertThat(Endpoints.parseWithTrailingPort(text, 0, text.length())).isEqualTo(new Endpoint(ip, port));
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.7", "2001:db8::7", "[2001:db8::7]", "192.0.2.7:", ":5060", "", "192.0.2.7:99999", "x:5060"})
    void parseWithTrailingPortNeedsAPort(String text) {
        assertThat(Endpoints.parseWithTrailingPort(text, 0, text.length())).as(text).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "IPV4/UDP/192.0.2.7/5060, 192.0.2.7, 5060, UDP",
        "IPV4/TCP/0.0.0.0/5038, 0.0.0.0, 5038, TCP",
        "IPV6/UDP/2001:db8::7/5060, 2001:db8::7, 5060, UDP",
        "IPV6/WSS/2001:db8::7/8089, 2001:db8::7, 8089, WSS",
        "IPV4/192.0.2.7/5060, 192.0.2.7, 5060, ",       // transport unknown: no word
    })
    void securityEventAddresses(String text, String ip, int port, String transport) {
        assertThat(Endpoints.parseSecurityAddress(text, 0, text.length())).isEqualTo(new Endpoint(ip, port));
        assertThat(Endpoints.securityTransport(text, 0, text.length())).isEqualTo(transport);
    }

    @ParameterizedTest
    @ValueSource(strings = {"IPV4/UDP/192.0.2.7", "IPV4/UDP/192.0.2.7/", "IPV4/UDP/host/5060", "UDP/192.0.2.7/5060",
        "IPV4/UDP/192.0.2.7/x", "IPV4", "", "IPV6/UDP/[2001:db8::7]/5060"})
    void malformedSecurityEventAddressesAreRejected(String text) {
        assertThat(Endpoints.parseSecurityAddress(text, 0, text.length())).as(text).isNull();
    }

    @Test
    void aRangeInsideALine() {
        String line = "failed for '192.0.2.7:5060' - Wrong password";
        assertThat(Endpoints.parse(line, 12, 26)).isEqualTo(new Endpoint("192.0.2.7", 5060));
        assertThat(Endpoints.parse(line, 11, 26)).isNull();
        assertThat(Endpoints.parsePort(line, 22, 26)).isEqualTo(5060);
        assertThat(Endpoints.parsePort("123456", 0, 6)).isEqualTo(-1);
    }

    @Test
    void anEndpointNeedsAnAddressAndAPortInRange() {
        assertThat(new Endpoint("192.0.2.7", Endpoint.NO_PORT).hasPort()).isFalse();
        assertThat(new Endpoint("2001:db8::7", 5060).isIpv6()).isTrue();
        assertThatThrownBy(() -> new Endpoint(null, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Endpoint("192.0.2.7", 65536)).hasMessageContaining("65536");
    }
}
