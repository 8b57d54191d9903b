package org.tollgate.server.cli;

import java.time.ZoneId;
import org.tollgate.server.check.LogChecker;
import picocli.CommandLine.Option;

/** {@code --patched} and {@code --zone}, shared by the commands that read Asterisk logs from files. */
final class LogOptions {

    @Option(names = "--patched", description = "The host runs a Tollgate chan_sip patch: trust the (ip:port) of 'Failed to authenticate' lines.")
    boolean patched;

    @Option(names = "--zone", paramLabel = "ZONE", description = "Time zone of stamps that name none (default: this machine's, ${DEFAULT-VALUE}).")
    ZoneId zone = ZoneId.systemDefault();

    /** A checker that reads lines as these options say. */
    LogChecker checker() {
        return new LogChecker(LogChecker.options(zone, patched));
    }
}
