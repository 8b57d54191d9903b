package org.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The launcher and the systemd unit start the JVM with the same options, a heap limit among them. */
class JvmOptionsTest {

    private static final Path ROOT = Path.of("..");

    /**
     * The options between {@code java} and the user's {@code TOLLGATE_JAVA_OPTS} on the line that starts the jar; a
     * shell variable among them (the launcher's options for some commands only, such as {@code $batch}) is left out.
     */
    private static List<String> defaults(Path file, String start) throws Exception {
        Pattern line = Pattern.compile(Pattern.quote(start) + " (.*?) \\$\\{?TOLLGATE_JAVA_OPTS(:-)?}? -jar ");
        for (String text : Files.readAllLines(ROOT.resolve(file))) {
            Matcher matcher = line.matcher(text);
            if (matcher.find()) {
                return Stream.of(matcher.group(1).split(" ")).filter(option -> !option.startsWith("$")).toList();
            }
        }
        throw new AssertionError(file + ": no line starting the jar with '" + start + " <options> TOLLGATE_JAVA_OPTS'");
    }

    @Test
    void theLauncherAndTheUnitAgreeAndLimitTheHeap() throws Exception {
        List<String> launcher = defaults(Path.of("tollgate"), "exec java");
        List<String> unit = defaults(Path.of("config", "tollgate.service"), "ExecStart=/usr/bin/java");

        assertThat(launcher).isEqualTo(unit).contains("-Xmx512m", "-XX:+ExitOnOutOfMemoryError");
    }
}
