package org.tollgate.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.tollgate.banner.action.CommandRunner;
import org.tollgate.server.TollgateService;
import org.tollgate.server.config.TollgateConfig;
import org.tollgate.testkit.NetworkNamespace;
import org.tollgate.testkit.Requirements;
import org.tollgate.testkit.TollgateYaml;
import org.tollgate.testkit.Waits;

/**
 * The ipset action of the running service when its tool misbehaves, inside a network namespace of its own: the real
 * {@code ipset} behind a stand-in first on the service's {@code PATH} that blocks for as long as the test says (as a
 * tool stuck on a lock would), and a set of the same name but another type made by hand mid-run ("set with the same
 * name already exists"), or fails with exit 1 and says nothing.
 *
 * <ul>
 *   <li>While the tool hangs, {@code /api/status}, {@code /api/bans} and {@code /metrics} answer (their times are
 *   printed) and show the ban pending; the call is killed at the runner's timeout, said in one warning line with the
 *   reason and no stack trace; once the tool answers again the ban is applied.</li>
 *   <li>While the set is the wrong one, the ban fails with ipset's own reason, shown in the ban's status; once the
 *   hand-made set is gone, the retry applies it and the in-force check puts back the bans the set took with it.</li>
 *   <li>While every call exits 1 with nothing on stdout or stderr, the ban's status says so, the action is failing
 *   in the status's problems and actions and in {@code tollgate_action_failing}, and one warning names the tool and
 *   its exit code however often the ban is retried; once the tool works the ban is applied, said once at info.</li>
 * </ul>
 * At the end every ban is in the kernel's set once, and the status lists each once, applied.
 */
class FirewallToolFaultsIT {

    /** The runner's timeout here: far beyond any honest ipset call, short enough to wait out in a test. */
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(15);
    private static final String SET = "tgfault";
    private static final String FIRST = "192.0.2.61";
    private static final String WHILE_HANGING = "192.0.2.62";
    private static final String WHILE_SET_WRONG = "192.0.2.63";
    private static final String WHILE_FAILING = "192.0.2.64";

    @TempDir
    Path dir;

    private final FailureLog attacks = new FailureLog("fw");
    private ApiProbe api;

    @BeforeAll
    static void root() {
        Requirements.assumeRoot();
    }

    private Path hang;
    private Path hanging;
    private Path fail;
    private Path failed;
    private Path bin;
    private Path log;
    private TollgateConfig config;
    private ListAppender<ILoggingEvent> logged;
    private Level level;

    @BeforeEach
    void standIn() throws IOException {
        hang = dir.resolve("hang");
        hanging = dir.resolve("hanging");
        fail = dir.resolve("fail");
        failed = dir.resolve("failed");
        bin = Files.createDirectory(dir.resolve("bin"));
        Path ipset = bin.resolve("ipset");
        // The stand-in refuses the interactive session ("ipset -"), so that every call is a process of its own
        // that can hang or fail; the rest goes to the real ipset.
        Files.writeString(ipset, """
                #!/bin/sh
                if [ "$1" = "-" ]; then echo "no session in this test" >&2; exit 1; fi
                while [ -e %s ]; do touch %s; sleep 0.2; done
                if [ -e %s ]; then touch %s; exit 1; fi
                exec %s "$@"
                """.formatted(hang, hanging, fail, failed, realTool("ipset")));
        Files.setPosixFilePermissions(ipset, PosixFilePermissions.fromString("rwxr-xr-x"));
        log = dir.resolve("full");
        Files.writeString(log, "");
        int port = InProcessService.freeLoopbackPort();
        api = new ApiProbe(port);
        config = TollgateConfig.parse(TollgateYaml.following(log).state(dir.resolve("state.db")).api(port)
                .reconcile("5s").sipAuth(3, "{type: ipset, set: " + SET + "}").text(), "tollgate.yaml");
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        logged = new ListAppender<>();
        logged.start();
        root.addAppender(logged);
        level = root.getLevel();
        root.setLevel(Level.INFO);
    }

    @AfterEach
    void logAsBefore() {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAppender(logged);
        root.setLevel(level);
    }

    /** The service of {@link #config}, its tools run in {@code namespace} with the stand-in first on the PATH. */
    private TollgateService start(NetworkNamespace namespace) throws Exception {
        CommandRunner runner = new CommandRunner(namespace.exec("env", "PATH=" + bin + ":" + System.getenv("PATH")),
                TOOL_TIMEOUT);
        return InProcessService.start(config, true, runner);
    }

    @Test
    void statusAnswersWhileTheToolHangsAndEveryBanIsInForceOnceTheToolWorksAgain() throws Exception {
        try (NetworkNamespace namespace = NetworkNamespace.create("ipset", "iptables", "ip6tables")) {
            TollgateService service = start(namespace);
            try {
                ban(log, FIRST);
                awaitInSet(namespace, FIRST);
                // Applied, its checks done: the next ipset call is one the test makes hang.
                Waits.until("the first ban applied in the status", () -> ban(FIRST).path("applied").asBoolean());

                // The tool hangs: the API answers meanwhile, the call is killed at the timeout, then applied.
                Files.writeString(hang, "");
                ban(log, WHILE_HANGING);
                // The in-force check may be the first call to hang; the jails' failures wait behind it (one caller of
                // the firewall at a time), so the ban shows once that call is killed and its own call hangs.
                Waits.until("a call hanging in ipset", () -> Files.exists(hanging));
                answersAtOnce("api/status");
                Waits.until(() -> api.banned(WHILE_HANGING),
                        Waits.PATIENCE, () -> "the ban not listed while ipset hangs: " + api.status() + "\n"
                                + String.join("\n", messages(logged)));
                assertThat(ban(WHILE_HANGING).path("applied").asBoolean()).as("applied while hanging").isFalse();
                answersAtOnce("api/status");
                answersAtOnce("api/bans");
                String metrics = answersAtOnce("metrics");
                assertThat(metrics).contains("tollgate_ban_actions{action=\"ipset:" + SET + "\",state=\"pending\"} 1");
                // The ban's own call killed at the timeout: a periodic reconcile's check killed before it warns too.
                Waits.until(() -> ban(WHILE_HANGING).path("actions").get(0).path("last_error").asText()
                                .contains("no answer within"), Waits.PATIENCE,
                        () -> "the ban's error not in the status: " + ban(WHILE_HANGING) + "\n" + messages(logged));
                assertThat(timeoutWarnings(logged)).as("the call killed at the timeout warned of").isNotEmpty();
                assertThat(ban(WHILE_HANGING).path("applied").asBoolean()).as("applied after the timeout").isFalse();
                List<ILoggingEvent> warnings = timeoutWarnings(logged);
                System.out.println("the hang in the log: " + messages(logged).stream()
                        .filter(message -> message.contains("no answer within")).toList());
                assertThat(warnings).as("warnings of a killed call carry no stack trace")
                        .allMatch(event -> event.getThrowableProxy() == null);
                Files.delete(hang);
                awaitInSet(namespace, WHILE_HANGING);
                Waits.until("the ban applied in the status", () -> ban(WHILE_HANGING).path("applied").asBoolean());

                // A set of the same name and another type, made by hand: the ban fails with ipset's reason.
                replaceSet(namespace, "hash:net");
                ban(log, WHILE_SET_WRONG);
                Waits.until(() -> api.bans().stream().anyMatch(ban -> ban.path("ip").asText().equals(WHILE_SET_WRONG)
                                && ban.path("actions").get(0).path("last_error").asText().contains("already exists")),
                        Waits.PATIENCE, () -> "no 'already exists' in " + api.status());
                System.out.println("the wrong set in the status: " + ban(WHILE_SET_WRONG));
                replaceSet(namespace, null);
                awaitInSet(namespace, WHILE_SET_WRONG);
                awaitInSet(namespace, FIRST);
                awaitInSet(namespace, WHILE_HANGING);

                Waits.until("every ban applied in the status", () -> api.bans().stream()
                        .allMatch(ban -> ban.path("applied").asBoolean()));
                assertThat(api.bans().stream().map(ban -> ban.path("ip").asText()).toList()).as("bans in the status")
                        .containsExactlyInAnyOrder(FIRST, WHILE_HANGING, WHILE_SET_WRONG);
                assertThat(namespace.inside("ipset", "list", SET)).as("entries in the set")
                        .contains("Number of entries: 3");
            } finally {
                Files.deleteIfExists(hang);
                service.stop();
            }
        }
    }

    @Test
    void aToolThatExitsOneSilentlyIsSaidOnceAndItsBanAppliedOnceItWorks() throws Exception {
        try (NetworkNamespace namespace = NetworkNamespace.create("ipset", "iptables", "ip6tables")) {
            TollgateService service = start(namespace);
            try {
                long began = System.nanoTime();
                ban(log, FIRST);
                awaitInSet(namespace, FIRST);
                Waits.until("the first ban applied in the status", () -> ban(FIRST).path("applied").asBoolean());

                Files.writeString(fail, "");
                ban(log, WHILE_FAILING);
                Waits.until(() -> api.banned(WHILE_FAILING) && ban(WHILE_FAILING).path("actions").get(0)
                                .path("last_error").asText().contains("ipset restore -exist exited 1"),
                        Waits.PATIENCE, () -> "no 'exited 1' in the status: " + api.status());
                assertThat(Files.exists(failed)).as("the stand-in failed a call").isTrue();
                JsonNode action = ban(WHILE_FAILING).path("actions").get(0);
                System.out.println("the silent failure in the ban's status: " + action);
                assertThat(action.path("state").asText()).as("the ban's state in the action").isEqualTo("failed");
                assertThat(ban(WHILE_FAILING).path("applied").asBoolean()).as("applied while failing").isFalse();
                // Retried at 1 s, 2 s, 4 s...: wait for two retries, each failing again.
                Waits.until(() -> api.metric("tollgate_firewall_retries_total") >= 2, Waits.PATIENCE,
                        () -> "no retries in " + api.get("metrics"));
                JsonNode actions = api.status().path("actions");
                System.out.println("the action in the status while failing: " + actions);
                assertThat(actions.get(0).path("state").asText()).as("the action's state").isEqualTo("failing");
                assertThat(actions.get(0).path("problem").asText()).as("why").contains("ipset restore -exist exited 1");
                assertThat(api.problems()).as("the status's problems")
                        .anyMatch(problem -> problem.startsWith("firewall action ipset:" + SET + " failing: ")
                                && problem.contains("exited 1"));
                String metrics = api.get("metrics");
                assertThat(metrics).contains("tollgate_action_failing{action=\"ipset:" + SET + "\"} 1")
                        .contains("tollgate_ban_actions{action=\"ipset:" + SET + "\",state=\"failed\"} 1");
                List<String> said = failureWarnings(logged);
                System.out.println("the silent failure in the log: " + said);
                assertThat(said).as("warnings naming the exit code, however many retries").hasSize(1);
                assertThat(said.get(0)).as("the warning names the call that failed first, and its exit code")
                        .contains("ipset restore -exist exited 1");

                Files.delete(fail);
                awaitInSet(namespace, WHILE_FAILING);
                Waits.until("the ban applied in the status", () -> ban(WHILE_FAILING).path("applied").asBoolean());
                Waits.until("the action no longer failing", () -> api.get("metrics")
                        .contains("tollgate_action_failing{action=\"ipset:" + SET + "\"} 0"));
                assertThat(api.problems()).as("problems once the tool works").noneMatch(p -> p.contains("failing"));
                assertThat(messages(logged)).as("said once that it works again")
                        .filteredOn(message -> message.startsWith("firewall action works again")).hasSize(1);
                assertThat(failureWarnings(logged)).as("warnings naming the exit code at the end").hasSize(1);
                assertThat(api.bans().stream().map(ban -> ban.path("ip").asText()).toList()).as("bans in the status")
                        .containsExactlyInAnyOrder(FIRST, WHILE_FAILING);
                assertThat(namespace.inside("ipset", "list", SET)).as("entries in the set")
                        .contains("Number of entries: 2");
                System.out.printf("exit 1 without a message, said once, applied once it works: %d ms%n",
                        (System.nanoTime() - began) / 1_000_000);
            } finally {
                Files.deleteIfExists(fail);
                service.stop();
            }
        }
    }

    /** The warnings and errors that name a call that exited 1, each as its message and key/values. */
    private static List<String> failureWarnings(ListAppender<ILoggingEvent> logged) {
        return List.copyOf(logged.list).stream().filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
                .map(event -> event.getFormattedMessage() + " " + event.getKeyValuePairs())
                .filter(message -> message.contains("exited 1")).toList();
    }

    /** Writes enough failures from {@code ip} for a ban (maxretry 3). */
    private void ban(Path log, String ip) throws IOException {
        for (int i = 0; i < 3; i++) {
            attacks.write(log, ip);
        }
    }

    /**
     * Removes the set by hand (its rules first) and, with a {@code type}, creates one of that type in its place. The
     * service's in-force check may put its own set back in between: done again until the set is the one wanted
     * ({@code type}, or the service's own {@code hash:ip} once the hand-made one is gone).
     */
    private static void replaceSet(NetworkNamespace namespace, String type) {
        String wanted = type == null ? "hash:ip" : type;
        Waits.until(() -> {
            if (!namespace.run("ipset", "list", SET).stdout().contains("Type: " + wanted)) {
                namespace.run("iptables", "-w", "-F", "INPUT");
                namespace.run("ipset", "destroy", SET);
                if (type != null) {
                    namespace.run("ipset", "create", SET, type);
                }
            }
            return namespace.run("ipset", "list", SET).stdout().contains("Type: " + wanted);
        }, Waits.PATIENCE, () -> "set " + SET + " not of type " + wanted + ": " + namespace.run("ipset", "list", SET));
    }

    private static void awaitInSet(NetworkNamespace namespace, String ip) {
        Waits.until(() -> namespace.run("ipset", "test", SET, ip).ok(), Waits.PATIENCE,
                () -> ip + " not in set " + SET + ": " + namespace.run("ipset", "list", SET).stdout());
    }

    /** GETs {@code path}, prints how long the answer took (never asserted: the machine may be busy). */
    private String answersAtOnce(String path) {
        long began = System.nanoTime();
        String body = api.get(path);
        System.out.printf("while ipset hangs: GET /%s answered in %d ms%n", path, (System.nanoTime() - began) / 1_000_000);
        return body;
    }

    /** The warnings and errors that name a call killed at the timeout. */
    private static List<ILoggingEvent> timeoutWarnings(ListAppender<ILoggingEvent> logged) {
        return List.copyOf(logged.list).stream().filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
                .filter(event -> (event.getFormattedMessage() + event.getKeyValuePairs()).contains("no answer within"))
                .toList();
    }

    private static List<String> messages(ListAppender<ILoggingEvent> logged) {
        return List.copyOf(logged.list).stream().map(event -> event.getFormattedMessage() + " "
                + event.getKeyValuePairs()).toList();
    }

    private JsonNode ban(String ip) {
        return api.bans().stream().filter(ban -> ban.path("ip").asText().equals(ip)).findFirst()
                .orElseThrow(() -> new AssertionError(ip + " not among the bans of " + api.status()));
    }

    /** Where {@code tool} is on this machine's PATH. */
    private static String realTool(String tool) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, tool))) {
                return Path.of(directory, tool).toString();
            }
        }
        throw new AssertionError(tool + " not on PATH");
    }
}
