package org.tollgate.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tollgate.server.config.TollgateConfig;
import org.tollgate.server.TollgateService;
import org.tollgate.testkit.Waits;

/** A remote PBX forwarding its syslog over TCP to {@code tollgate run}: events on the bus, then a ban. */
class ServiceSyslogTest {

    private static String config(int port) {
        return """
                sources:
                  - type: syslog
                    listen: 127.0.0.1:%d
                    protocol: tcp
                state:
                  path: ":memory:"
                jails:
                  sip-auth:
                    maxretry: 3
                    findtime: 10m
                    bantime: 1h
                    ignoreself: false
                    actions:
                      - type: log
                """.formatted(port);
    }

    private static String failure(int n) {
        String message = "<133>1 " + Instant.now() + " pbx2 asterisk 2289 - - NOTICE[2290]: "
                + "res_pjsip/pjsip_distributor.c:676 in log_failed_request: Request 'REGISTER' from "
                + "'<sip:10" + n + "@203.0.113.5>' failed for '198.51.100.77:5060' (callid: c" + n + ") - "
                + "Failed to authenticate";
        return message.getBytes(StandardCharsets.UTF_8).length + " " + message;
    }

    @Test
    void failuresReceivedOverSyslogEndInABan() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        TollgateConfig file = TollgateConfig.parse(config(port), "tollgate.yaml");
        TollgateService service = InProcessService.start(file);
        try {
            List<JsonNode> bans = InProcessService.bansPublished(service);
            try (Socket socket = new Socket("127.0.0.1", port)) {
                OutputStream out = socket.getOutputStream();
                for (int n = 1; n <= 3; n++) {
                    out.write(failure(n).getBytes(StandardCharsets.UTF_8));
                }
                out.flush();
                Waits.until("a ban", () -> !bans.isEmpty());
            }
            assertThat(bans).hasSize(1);
            assertThat(bans.get(0).at("/source/ip").asText()).isEqualTo("198.51.100.77");
            assertThat(service.linesRead()).isEqualTo(3);
        } finally {
            service.stop();
        }
    }
}
