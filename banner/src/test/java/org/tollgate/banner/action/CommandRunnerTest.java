package org.tollgate.banner.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tollgate.testkit.Waits;

/** Runs small coreutils programs: the runner's whole job is process handling, so it is tested on real processes. */
class CommandRunnerTest {

    private final CommandRunner runner = new CommandRunner();

    @Test
    void anArgumentReachesTheToolAsOneElementWhateverItHolds() throws Exception {
        String hostile = "192.0.2.1; rm -rf / $(id) `id` \"'\n|&>";

        CommandRunner.Result result = runner.run(List.of("printf", "%s|", hostile, "second"));

        assertThat(result.ok()).isTrue();
        assertThat(result.stdout()).isEqualTo(hostile + "|second|");
    }

    @Test
    void feedsStdinAndCapturesBothStreams() throws Exception {
        CommandRunner.Result result = runner.run(List.of("cat"), "add tollgate 192.0.2.7\n".getBytes(StandardCharsets.UTF_8));

        assertThat(result.stdout()).isEqualTo("add tollgate 192.0.2.7\n");
        assertThat(result.exitCode()).isZero();

        CommandRunner.Result missing = runner.run(List.of("ls", "/nonexistent-tollgate-path"));
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr()).contains("nonexistent-tollgate-path");
        assertThat(missing.failure()).startsWith("ls /nonexistent-tollgate-path exited " + missing.exitCode() + ": ");
    }

    @Test
    void feedsLargeStdinWhileTheToolWrites() throws Exception {
        byte[] input = "192.0.2.7\n".repeat(200_000).getBytes(StandardCharsets.US_ASCII);

        CommandRunner.Result result = runner.run(List.of("cat"), input);

        assertThat(result.stdout()).hasSize(input.length);
    }

    @Test
    void boundsStdout() throws Exception {
        CommandRunner small = new CommandRunner(List.of(), Duration.ofSeconds(10), 1000);

        CommandRunner.Result result = small.run(List.of("head", "-c", "100000", "/dev/zero"));

        assertThat(result.ok()).isTrue();
        assertThat(result.stdout()).hasSize(1000);
        assertThat(result.stdoutTruncated()).isTrue();
    }

    /** The tool would run 10 minutes: a run that ends at all ended by the kill, whatever the machine's speed. */
    @Test
    void killsAToolThatOutlivesTheTimeout() {
        CommandRunner quick = new CommandRunner(List.of(), Duration.ofSeconds(1));

        assertThatThrownBy(() -> quick.run(List.of("sleep", "600")))
                .isInstanceOf(ActionException.class)
                .hasMessageContaining("sleep: no answer within 1s, killed: sleep 600");
        Waits.until("the killed sleep reaped", () -> ProcessHandle.current().children()
                .noneMatch(child -> child.info().arguments().map(List::of).orElse(List.of()).contains("600")));
    }

    @Test
    void prependsThePrefix() throws Exception {
        CommandRunner prefixed = new CommandRunner(List.of("env", "TOLLGATE_PROBE=1"), Duration.ofSeconds(10));

        CommandRunner.Result result = prefixed.run(List.of("printenv", "TOLLGATE_PROBE"));

        assertThat(result.stdout()).isEqualTo("1\n");
        assertThat(result.command()).containsExactly("env", "TOLLGATE_PROBE=1", "printenv", "TOLLGATE_PROBE");
    }

    @Test
    void aMissingToolIsAnActionException() {
        assertThatThrownBy(() -> runner.run(List.of("tollgate-no-such-tool", "-L")))
                .isInstanceOf(ActionException.class)
                .hasMessageStartingWith("tollgate-no-such-tool: cannot run tollgate-no-such-tool -L");
    }

    @Test
    void toolMessagesAreUntranslated() throws Exception {
        assertThat(runner.run(List.of("printenv", "LC_ALL")).stdout()).isEqualTo("C\n");
    }
}
