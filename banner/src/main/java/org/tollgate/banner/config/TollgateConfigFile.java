package org.tollgate.banner.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.tollgate.banner.fraud.FraudSettings;
import org.tollgate.banner.jail.JailSettings;

/**
 * tollgate.yaml, read once: the jails validated into {@link JailSettings}, and the whole tree, with lines, for the
 * other sections ({@code sources}, {@code state}, {@code api}, {@code outputs}) that the server reads itself and
 * reports errors on the same way ({@link ConfigNode#error}). Top-level keys are not checked here: the server knows
 * which sections exist.
 *
 * @param file  the file as the user named it (its path), used in messages
 * @param root  the document
 * @param jails the enabled and disabled jails by name, in file order
 * @param fraud the fraud jails by name, in file order ({@link FraudSection})
 */
public record TollgateConfigFile(String file, ConfigMap root, Map<String, JailSettings> jails,
                                 Map<String, FraudSettings> fraud) {

    /** The key of the jails section. */
    public static final String JAILS = "jails";

    /**
     * Reads and validates {@code path} (UTF-8).
     *
     * @throws ConfigException for invalid YAML or an invalid jail, naming the key, the value and the line
     * @throws IOException     when the file cannot be read
     */
    public static TollgateConfigFile load(Path path) throws IOException {
        try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return read(in, path.toString());
        }
    }

    /** Reads YAML text; {@code file} names it in messages. */
    public static TollgateConfigFile parse(String yaml, String file) {
        try {
            return read(new StringReader(yaml), file);
        } catch (IOException e) {
            throw new IllegalStateException("reading a string cannot fail", e);
        }
    }

    private static TollgateConfigFile read(Reader in, String file) throws IOException {
        ConfigMap root = YamlTreeParser.parse(in, file);
        return new TollgateConfigFile(file, root, JailsSection.read(root.get(JAILS).orElse(null)),
                FraudSection.read(root.get(FraudSection.SECTION).orElse(null)));
    }

    /** A top-level section such as {@code sources} or {@code api}, if present. */
    public Optional<ConfigNode> section(String key) {
        return root.get(key);
    }
}
