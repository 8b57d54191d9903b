package org.tollgate.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.server.config.TollgateConfig;
import org.tollgate.server.TollgateService;

/**
 * A flood: about 100,000 lines a second written to the log for 15 seconds (90% noise, 10% failures from thousands of
 * addresses). The service must keep its heap bounded, read every line, and keep banning during the flood: an
 * attacker that starts in the middle of it is banned. Memory and bans are asserted; speed is not.
 *
 * <p>A longer flood: {@code ./mvnw -pl server -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=FloodIT -Dflood.seconds=60}.
 */
class FloodIT {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final int SECONDS = Integer.getInteger("flood.seconds", 15);
    private static final int LINES_PER_SECOND = 100_000;

    @TempDir
    Path dir;

    @Test
    void aFloodKeepsMemoryBoundedAndBansFlowing() throws Exception {
        Path log = dir.resolve("full");
        Path events = dir.resolve("events.jsonl");
        Files.writeString(log, "");
        TollgateConfig file = TollgateConfig.parse(
                InProcessService.followingLog(log, dir.resolve("state.db"), events, 5), "tollgate.yaml");
        TollgateService service = InProcessService.start(file);
        List<JsonNode> bans = InProcessService.bansPublished(service);
        long written = 0;
        long maxUsed = 0;
        Runtime runtime = Runtime.getRuntime();
        try (BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
            long start = System.nanoTime();
            for (int second = 0; second < SECONDS; second++) {
                for (int i = 0; i < LINES_PER_SECOND; i++) {
                    String stamp = STAMP.format(LocalDateTime.now(ZoneOffset.UTC));
                    if (i % 10 == 0) {
                        // Failures spread over 2,000 addresses: 50 per address in the whole flood, so they get banned.
                        int n = (int) (written / 10 % 2000);
                        String ip = n < 256 ? "198.51.100." + n : "2001:db8:f::" + Integer.toHexString(n);
                        out.write("[" + stamp + "] NOTICE[2290] res_pjsip/pjsip_distributor.c: Request 'REGISTER' from '<sip:100@203.0.113.5>' failed for '"
                                + (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":5060' (callid: f" + written + ") - Failed to authenticate\n");
                    } else {
                        out.write("[" + stamp + "] VERBOSE[2300][C-0000001c] pbx.c: Executing [100@from-internal:1] Dial(\"PJSIP/101-00000001\", \"PJSIP/102,30\") in new stack\n");
                    }
                    written++;
                }
                if (second == SECONDS / 2) {
                    // A new attacker in the middle of the flood.
                    for (int i = 0; i < 5; i++) {
                        out.write("[" + STAMP.format(LocalDateTime.now(ZoneOffset.UTC)) + "] NOTICE[2290] res_pjsip/pjsip_distributor.c: Request 'REGISTER' from '<sip:100@203.0.113.5>' failed for '192.0.2.77:5060' (callid: mid" + i + ") - Failed to authenticate\n");
                        written++;
                    }
                }
                out.flush();
                maxUsed = Math.max(maxUsed, runtime.totalMemory() - runtime.freeMemory());
                long behind = TimeUnit.SECONDS.toNanos(second + 1) - (System.nanoTime() - start);
                if (behind > 0) {
                    TimeUnit.NANOSECONDS.sleep(behind);
                }
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (service.linesRead() < written && System.nanoTime() < deadline) {
            maxUsed = Math.max(maxUsed, runtime.totalMemory() - runtime.freeMemory());
            Thread.sleep(100);
        }
        service.awaitDrained(60_000);
        try {
            assertThat(service.linesRead()).as("lines read").isEqualTo(written);
            List<String> banned = bans.stream().map(ban -> ban.at("/source/ip").asText()).toList();
            assertThat(banned).as("the attacker who started mid-flood is banned").contains("192.0.2.77");
            assertThat(banned.size()).as("the flood's attackers are banned").isGreaterThanOrEqualTo(2000);
            System.gc();
            long settled = runtime.totalMemory() - runtime.freeMemory();
            System.out.printf("flood: %d lines in %d s, %d bans, heap peak %d MiB, after GC %d MiB%n", written,
                    SECONDS, banned.size(), maxUsed >> 20, settled >> 20);
            // Bounded: nothing in the pipeline grows with the number of lines read.
            assertThat(settled).as("heap after the flood").isLessThan(256L << 20);
        } finally {
            service.stop();
        }
    }
}
