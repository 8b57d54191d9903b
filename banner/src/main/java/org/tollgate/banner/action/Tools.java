package org.tollgate.banner.action;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Whether the programs an action runs are installed: looked up on {@code PATH} (a name) or at their path (a name
 * with a '/'), without running anything, so that a missing tool is one clear state instead of a failure per ban.
 */
public final class Tools {

    private Tools() {
    }

    /** The first of {@code tools} that is not an executable file, if any. */
    public static Optional<String> firstMissing(List<String> tools) {
        for (String tool : tools) {
            if (!installed(tool)) {
                return Optional.of(tool);
            }
        }
        return Optional.empty();
    }

    static boolean installed(String tool) {
        if (tool.indexOf('/') >= 0) {
            return Files.isExecutable(Path.of(tool));
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, tool))) {
                return true;
            }
        }
        return false;
    }
}
