package org.tollgate.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.tollgate.banner.config.ConfigException;

/**
 * A secret kept in a file of its own (the admin API's token, an SMTP password), never in tollgate.yaml: read with
 * the white space around it trimmed, and never echoed in a message or a log line.
 */
final class SecretFile {

    private SecretFile() {
    }

    /**
     * The secret in {@code path}.
     *
     * @param key  the configuration key that names the file, for messages
     * @param file the configuration file, for messages
     * @param line the key's line there
     * @throws ConfigException when the file cannot be read, naming the key and the file
     */
    static String read(Path path, String key, String file, int line) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            throw new ConfigException(key, "no such file '" + path + "'", file, line);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(key, "cannot read '" + path + "': "
                    + (Files.isDirectory(path) ? "it is a directory" : e.getMessage()), file, line);
        }
        return text;
    }
}
