package org.tollgate.server.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.banner.store.ReadPositions;
import org.tollgate.banner.store.StateDatabase;
import org.tollgate.normalizer.NormalizerOptions;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.input.LineBuffer;
import org.tollgate.normalizer.json.EcsJsonWriter;
import org.tollgate.testkit.OverlongLines;
import org.tollgate.testkit.Waits;

/**
 * The file source reads a failure line with a 1 MiB From header as its head and tail, with the address, and stores a
 * read position that never falls inside such a line: a restart while it is being written reads it from its start.
 */
class OverlongLinesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final EcsJsonWriter writer = new EcsJsonWriter();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();

    private void collect(ParseResult result) {
        try {
            events.add(JSON.readTree(writer.toJson(result)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private FileFollower follow(Path log, ReadPositions store) {
        FileFollower follower = new FileFollower(log, new NormalizerOptions(ZoneOffset.UTC, null, false, null,
                Clock.systemUTC()), this::collect, store, false, Clock.systemUTC());
        follower.start();
        return follower;
    }

    static void assertFailureFrom(JsonNode event, String ip) {
        assertThat(event.at("/source/ip").asText()).isEqualTo(ip);
        assertThat(event.at("/asterisk/truncated").asBoolean()).isTrue();
        assertThat(event.at("/event/original").asText()).contains(LineBuffer.CUT);
    }

    @Test
    void aFileLineWithAHugeFromHeaderGivesItsAddress() throws Exception {
        Path log = dir.resolve("full");
        Files.writeString(log, OverlongLines.pjsip() + "\n" + OverlongLines.chanSip() + "\n");
        try (StateDatabase db = StateDatabase.inMemory(InstantSource.system())) {
            FileFollower follower = follow(log, db.positions());
            try {
                Waits.until("two events", () -> events.size() >= 2);
            } finally {
                follower.stop();
            }
        }
        assertFailureFrom(events.get(0), OverlongLines.PJSIP_SOURCE);
        assertFailureFrom(events.get(1), OverlongLines.CHAN_SIP_SOURCE);
    }

    @Test
    void aRestartWhileAHugeLineIsWrittenReadsItFromItsStart() throws Exception {
        Path log = dir.resolve("full");
        String line = OverlongLines.pjsip();
        int half = line.length() / 2;
        Files.writeString(log, "[2026-01-18 17:40:01] VERBOSE[2290] pbx.c: before\n" + line.substring(0, half));
        try (StateDatabase db = StateDatabase.open(dir.resolve("state.db"), InstantSource.system())) {
            FileFollower first = follow(log, db.positions());
            Waits.until("the first line", () -> events.size() >= 1);
            first.stop();

            Files.writeString(log, line.substring(half) + "\n", StandardOpenOption.APPEND);
            FileFollower second = follow(log, db.positions());
            try {
                Waits.until("the long line", () -> events.size() >= 2);
            } finally {
                second.stop();
            }
        }
        assertThat(events).hasSize(2);
        assertFailureFrom(events.get(1), OverlongLines.PJSIP_SOURCE);
        assertThat(events.get(1).at("/event/original").asText())
                .startsWith("[2026-01-18 17:40:02] NOTICE[2290] res_pjsip/pjsip_distributor.c: Request 'REGISTER'");
    }
}
