package org.tollgate.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.server.config.TollgateConfig;
import org.tollgate.server.TollgateService;

/** tollgate.yaml's outputs section deploys each forwarder: a line in the log reaches a collector of each kind. */
class ServiceOutputsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aSecurityEventReachesTheTcpJsonAndSyslogCollectors() throws Exception {
        Path log = dir.resolve("full");
        Files.writeString(log, "");
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        int bridgePort;
        try (ServerSocket probe = new ServerSocket(0, 1, loopback)) {
            bridgePort = probe.getLocalPort();
        }
        try (ServerSocket tcpCollector = new ServerSocket(0, 1, loopback);
             DatagramSocket udpCollector = new DatagramSocket(0, loopback)) {
            tcpCollector.setSoTimeout(20_000);
            udpCollector.setSoTimeout(20_000);
            TollgateConfig file = TollgateConfig.parse("""
                    sources:
                      - type: file
                        path: %s
                        zone: UTC
                    state:
                      path: ":memory:"
                    outputs:
                      - type: tcp-json
                        host: 127.0.0.1
                        port: %d
                      - type: syslog
                        host: 127.0.0.1
                        port: %d
                        protocol: udp
                        facility: local5
                      - type: eventbus-bridge
                        listen: 127.0.0.1:%d
                    jails:
                      sip-auth:
                        actions:
                          - type: log
                    """.formatted(log, tcpCollector.getLocalPort(), udpCollector.getLocalPort(), bridgePort),
                    "tollgate.yaml");
            TollgateService service = InProcessService.start(file);
            try (Socket connection = tcpCollector.accept()) {
                Files.writeString(log, "[2026-11-20 21:14:11.105] NOTICE[2290] res_pjsip/pjsip_distributor.c: "
                        + "Request 'REGISTER' from '<sip:100@198.51.100.200>' failed for '203.0.113.45:5071' "
                        + "(callid: 88231-sipvicious-0) - Failed to authenticate\n");
                BufferedReader lines = new BufferedReader(new InputStreamReader(connection.getInputStream(),
                        StandardCharsets.UTF_8));
                JsonNode event = JSON.readTree(lines.readLine());
                assertThat(event.at("/source/ip").asText()).isEqualTo("203.0.113.45");

                DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
                udpCollector.receive(packet);
                String syslog = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                assertThat(syslog).startsWith("<172>1 "); // local5 (21) * 8 + warning (4)
                JsonNode viaSyslog = JSON.readTree(syslog.substring(syslog.indexOf(" - - ") + 5));
                assertThat(viaSyslog).isEqualTo(event);
            } finally {
                service.stop();
            }
        }
    }
}
