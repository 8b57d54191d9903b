package org.tollgate.server.cli;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * The common {@code tollgate check} command lines, read without picocli: {@code check}, then {@code --json},
 * {@code --all} and {@code --patched} at most once each, {@code --zone ZONE} (or {@code --zone=ZONE}) at most once with
 * a zone {@link ZoneId#of} reads, and one or more files (a name that starts with neither {@code -} nor {@code @}, or
 * {@code -} alone), in any order. Picocli builds its model of the commands by reflection, about a third of the start of
 * a {@code check} of an empty file (0.12 of 0.35 s of CPU); a one-off check of a log is often short enough for that
 * to count.
 *
 * <p>Any other command line is left to picocli ({@link #read} returns null): help and version options, unknown or
 * repeated options, {@code --}, {@code @argument-files}, a zone picocli would refuse; so are its errors and messages.
 * What is read here is what picocli reads from the same line (PlainCheckLineProperties).
 */
final class PlainCheckLine {

    private PlainCheckLine() {
    }

    /** The check command {@code args} set up, as picocli would; null when picocli is to read them. */
    static CheckCommand read(String... args) {
        if (args.length < 2 || !args[0].equals("check")) {
            return null;
        }
        CheckCommand check = new CheckCommand();
        check.logOptions = new LogOptions();
        List<String> files = new ArrayList<>();
        boolean zoneSet = false;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            String zone = null;
            if (arg.equals("--json") && !check.json) {
                check.json = true;
            } else if (arg.equals("--all") && !check.all) {
                check.all = true;
            } else if (arg.equals("--patched") && !check.logOptions.patched) {
                check.logOptions.patched = true;
            } else if (arg.equals("--zone") && i + 1 < args.length) {
                zone = args[++i];
            } else if (arg.startsWith("--zone=")) {
                zone = arg.substring("--zone=".length());
            } else if (arg.equals("-") || !arg.isEmpty() && arg.charAt(0) != '-' && arg.charAt(0) != '@') {
                files.add(arg);
            } else {
                return null;
            }
            if (zone != null) {
                if (zoneSet || zone.startsWith("-") || zone.startsWith("@")) {
                    return null;
                }
                try {
                    check.logOptions.zone = ZoneId.of(zone);
                } catch (DateTimeException e) {
                    return null;
                }
                zoneSet = true;
            }
        }
        if (files.isEmpty()) {
            return null;
        }
        check.files = files;
        return check;
    }
}
