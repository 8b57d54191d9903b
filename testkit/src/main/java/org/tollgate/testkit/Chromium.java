package org.tollgate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (Debian's {@code chromium} package; another binary with {@code -Dtollgate.chromium=...}) loading
 * a page, running its scripts, and dumping the DOM they left.
 */
public final class Chromium {

    private static final String BINARY = System.getProperty("tollgate.chromium", "chromium");

    private Chromium() {
    }

    /** The DOM of {@code url} once its scripts ran, with a fresh profile under {@code work}. */
    public static String dumpDom(String url, Path work) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(work, "chromium-profile");
        Path log = work.resolve(profile.getFileName() + ".log");
        Process chromium;
        try {
            chromium = new ProcessBuilder(List.of(BINARY, "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                    "--virtual-time-budget=5000", "--dump-dom", url))
                    .redirectError(log.toFile())
                    .start();
        } catch (IOException e) {
            return fail("cannot run '" + BINARY + "' (install Debian's chromium package: apt-get install -y chromium)",
                    e);
        }
        chromium.getOutputStream().close();
        byte[] out = chromium.getInputStream().readAllBytes();
        if (!chromium.waitFor(Waits.PATIENCE_SECONDS, TimeUnit.SECONDS)) {
            chromium.destroyForcibly();
            fail("chromium did not finish in " + Waits.PATIENCE_SECONDS + " s; its log:\n" + Files.readString(log));
        }
        String dom = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, chromium.exitValue(), () -> "chromium exit; its log:\n" + readQuietly(log));
        assertTrue(dom.contains("<html"), () -> "the dumped DOM:\n" + dom + "\nchromium's log:\n" + readQuietly(log));
        return dom;
    }

    private static String readQuietly(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
