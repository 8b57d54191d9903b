package org.tollgate.server.adopt.filters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tollgate.server.adopt.BundledFiles;
import org.tollgate.server.adopt.WholeFile;

/**
 * Writes Tollgate's fail2ban filters (the files of the repository's filters/ directory, which the jar carries byte
 * for byte) into a fail2ban {@code filter.d} directory, each file whole or not at all.
 */
public final class FilterExport {

    /** What became of one file. */
    public enum Outcome {
        WRITTEN("written"), REPLACED("replaced (it differed)"), UNCHANGED("unchanged");

        private final String text;

        Outcome(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** One exported file. */
    public record Written(Path path, Outcome outcome) {
    }

    private FilterExport() {
    }

    /** The filters this build carries, by file name. */
    public static Map<String, String> filters() {
        return BundledFiles.read("filters", ".conf");
    }

    /**
     * Writes every filter into {@code directory}, which must exist.
     *
     * @throws NoSuchFileException   when the directory does not exist
     * @throws NotDirectoryException when it is not a directory
     * @throws IOException           when a file cannot be written
     */
    public static List<Written> export(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            throw new NoSuchFileException(directory.toString());
        }
        if (!Files.isDirectory(directory)) {
            throw new NotDirectoryException(directory.toString());
        }
        List<Written> written = new ArrayList<>();
        for (Map.Entry<String, String> filter : filters().entrySet()) {
            Path target = directory.resolve(filter.getKey());
            byte[] bytes = filter.getValue().getBytes(StandardCharsets.UTF_8);
            Outcome outcome = Outcome.WRITTEN;
            if (Files.exists(target)) {
                if (Arrays.equals(Files.readAllBytes(target), bytes)) {
                    written.add(new Written(target, Outcome.UNCHANGED));
                    continue;
                }
                outcome = Outcome.REPLACED;
            }
            WholeFile.write(target, bytes, true);
            written.add(new Written(target, outcome));
        }
        return written;
    }
}
