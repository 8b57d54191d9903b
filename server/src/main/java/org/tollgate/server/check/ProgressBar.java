package org.tollgate.server.check;

import java.io.PrintStream;

/** A one-line progress bar on a terminal's stderr for large inputs; silent otherwise. */
final class ProgressBar {

    private static final long MIN_SIZE = 32L * 1024 * 1024;

    private final PrintStream err;
    private final long total;
    private final boolean enabled;
    private int lastPercent = -1;

    ProgressBar(PrintStream err, long total, boolean terminal) {
        this.err = err;
        this.total = total;
        this.enabled = terminal && total >= MIN_SIZE;
    }

    void update(long done, String name) {
        if (!enabled) {
            return;
        }
        int percent = (int) (done * 100 / total);
        if (percent == lastPercent) {
            return;
        }
        lastPercent = percent;
        int filled = percent / 5;
        err.printf("\r%-30s [%s%s] %3d%%", name.length() > 30 ? "…" + name.substring(name.length() - 29) : name,
                "#".repeat(filled), " ".repeat(20 - filled), percent);
    }

    void finish() {
        if (enabled && lastPercent >= 0) {
            err.print("\r" + " ".repeat(60) + "\r");
        }
    }
}
