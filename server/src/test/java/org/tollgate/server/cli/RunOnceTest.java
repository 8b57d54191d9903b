package org.tollgate.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.testkit.TollgateYaml;

/**
 * {@code tollgate run --once} reads its log to the end, writes every line's event, and then ends by itself: exit 0
 * when every line was read and written, 3 with a line saying why when not.
 */
class RunOnceTest {

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path dir;

    /** {@code count} lines, every third a failed registration (each its own event, no scanner signal). */
    private Path log(int count) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i % 3 == 0) {
                text.append(String.format(Locale.ROOT, "[2026-01-18 17:40:%02d] NOTICE[2294] "
                        + "res_pjsip/pjsip_distributor.c: Request 'REGISTER' from '<sip:%d@192.0.2.10>' failed for "
                        + "'192.0.2.%d:5060' (callid: c%d) - No matching endpoint found%n", i % 60, 1000 + i % 50,
                        1 + i % 200, i));
            } else {
                text.append(String.format(Locale.ROOT, "[2026-01-18 17:40:%02d] VERBOSE[2290] pbx.c: line %d%n",
                        i % 60, i));
            }
        }
        return Files.writeString(dir.resolve("full"), text);
    }

    @Test
    void everyLineOfTheLogIsAnEventInTheJsonlFileWhenTheRunEnds() throws Exception {
        int lines = 60_000;
        Path events = dir.resolve("events.jsonl");
        Path config = TollgateYaml.following(log(lines)).fromTheBeginning().stateInMemory().jsonl(events, "all")
                .sipAuth(5).write(dir.resolve("tollgate.yaml"));

        int exit = TollgateCommand.execute("run", "--once", "--config", config.toString());

        String stderr = console.stderr();
        assertThat(exit).as(stderr).isZero();
        List<String> written = Files.readAllLines(events);
        assertThat(written).hasSize(lines);
        assertThat(written).allMatch(line -> line.startsWith("{") && line.endsWith("}"));
        assertThat(stderr).contains("tollgate run: " + lines + " lines read, " + lines / 3 + " security events")
                .doesNotContain("not every line");
    }

    @Test
    void aLogThatCannotBeReadEndsTheRunWithExitThreeAndALineSayingWhich() throws Exception {
        // A directory where the log file should be: opened, it cannot be read as a file.
        Path notAFile = Files.createDirectory(dir.resolve("full"));
        Path config = TollgateYaml.following(notAFile).fromTheBeginning().stateInMemory()
                .jsonl(dir.resolve("events.jsonl"), "all").write(dir.resolve("tollgate.yaml"));

        int exit = TollgateCommand.execute("run", "--once", "--config", config.toString());

        String stderr = console.stderr();
        assertThat(exit).as(stderr).isEqualTo(RunCommand.NOT_ALL_WRITTEN);
        assertThat(stderr.lines().filter(line -> line.startsWith("tollgate run: not every line")))
                .singleElement().asString().contains(notAFile.toString());
        assertThat(stderr).contains("tollgate run: 0 lines read");
    }

    @Test
    void eventsAnOutputDroppedEndTheRunWithExitThreeAndALineSayingHowMany() throws Exception {
        // A collector that is down (nothing listens on the port) and a queue of 10: the output keeps the first events
        // and drops the rest, which --once must not call written.
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        int lines = 3_000;
        Path config = TollgateYaml.following(log(lines)).fromTheBeginning().stateInMemory().tcpJson(closedPort, 10)
                .write(dir.resolve("tollgate.yaml"));

        int exit = TollgateCommand.execute("run", "--once", "--config", config.toString());

        String stderr = console.stderr();
        assertThat(exit).as(stderr).isEqualTo(RunCommand.NOT_ALL_WRITTEN);
        assertThat(stderr.lines().filter(line -> line.startsWith("tollgate run: not every event was written")))
                .singleElement().asString().containsPattern("tcp-json\\[0\\]: [0-9]+ events dropped");
        long dropped = Long.parseLong(stderr.replaceAll("(?s).*tcp-json\\[0\\]: ([0-9]+) events dropped.*", "$1"));
        assertThat(dropped).as("all but the queue's 10, or all of them").isBetween(lines - 10L, (long) lines);
        assertThat(stderr).contains("tollgate run: " + lines + " lines read");
    }

    @Test
    void eventsThatCouldNotBeWrittenEndTheRunWithExitThreeAndALineSayingHowMany() throws Exception {
        // /dev/full opens, and every write to it fails (no space left on device), as a file on a full disk.
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "a system with /dev/full");
        int lines = 3_000;
        Path config = TollgateYaml.following(log(lines)).fromTheBeginning().stateInMemory().jsonl(full, "all")
                .write(dir.resolve("tollgate.yaml"));

        int exit = TollgateCommand.execute("run", "--once", "--config", config.toString());

        String stderr = console.stderr();
        assertThat(exit).as(stderr).isEqualTo(RunCommand.NOT_ALL_WRITTEN);
        assertThat(stderr.lines().filter(line -> line.startsWith("tollgate run: not every event was written")))
                .singleElement().asString().contains("jsonl[0]: " + lines + " events dropped");
    }
}
