package org.tollgate.server.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a command prints, for tests of the CLI: {@code System.out} and {@code System.err} are captured while the test
 * method runs (after its {@code @BeforeEach} methods, before its {@code @AfterEach} ones) and put back after it.
 * Register as an instance field: {@code @RegisterExtension final ConsoleCapture console = new ConsoleCapture();}.
 */
final class ConsoleCapture implements BeforeTestExecutionCallback, AfterTestExecutionCallback {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @Override
    public void beforeTestExecution(ExtensionContext context) {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    /** What the test printed on stdout so far. */
    String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** What the test printed on stderr so far. */
    String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
