package org.tollgate.server.adopt.fail2ban;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.tollgate.banner.config.ConfigList;
import org.tollgate.banner.config.ConfigMap;
import org.tollgate.banner.config.ConfigNode;
import org.tollgate.banner.config.YamlTreeParser;
import org.tollgate.banner.jail.ActionSettings;
import org.tollgate.banner.jail.JailSettings;
import org.tollgate.server.config.SourceSettings;
import org.tollgate.server.config.TollgateConfig;

/** Builds fail2ban directories from src/test/resources/fail2ban, and reads an import's YAML back. */
final class Fail2banFixtures {

    private Fail2banFixtures() {
    }

    /** {@code dir} filled with the given fixture directories, later ones over earlier ones. */
    static Path assemble(Path dir, String... fixtures) {
        try {
            Path root = Path.of(Fail2banFixtures.class.getResource("/fail2ban").toURI());
            for (String fixture : fixtures) {
                copyTree(root.resolve(fixture), dir);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** An import read back: the YAML, loaded with the service's reader. */
    record Loaded(String yaml, TollgateConfig config) {

        Map<String, JailSettings> jails() {
            return config.jails();
        }

        JailSettings jail(String name) {
            JailSettings jail = config.jails().get(name);
            if (jail == null) {
                throw new AssertionError("no jail " + name + " in:\n" + yaml);
            }
            return jail;
        }

        List<SourceSettings> sources() {
            return config.sources();
        }

        /** The only source, a file source. */
        SourceSettings.FileSource file() {
            assertSingle();
            return (SourceSettings.FileSource) config.sources().get(0);
        }

        /** The only source, a journald source. */
        SourceSettings.JournaldSource journald() {
            assertSingle();
            return (SourceSettings.JournaldSource) config.sources().get(0);
        }

        private void assertSingle() {
            if (config.sources().size() != 1) {
                throw new AssertionError("expected one source, was " + config.sources() + " in:\n" + yaml);
            }
        }

        /**
         * The actions of {@code jail} written as comments (a type this version does not run), uncommented and read
         * with the YAML reader: type and parameters of each.
         */
        List<Map<String, String>> commentedActions(String jail) {
            List<String> lines = new ArrayList<>();
            boolean inJail = false;
            for (String line : yaml.split("\n")) {
                if (line.startsWith("  ") && !line.startsWith("   ")) {
                    inJail = line.equals("  " + jail + ":");
                }
                if (inJail && line.matches("      # (- |  )\\w[\\w.]*: .*")) {
                    lines.add("  " + line.substring("      # ".length()));
                }
            }
            if (lines.isEmpty()) {
                return List.of();
            }
            ConfigMap root;
            try {
                root = YamlTreeParser.parse(new java.io.StringReader("a:\n" + String.join("\n", lines) + "\n"),
                        "commented");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<Map<String, String>> actions = new ArrayList<>();
            for (ConfigNode item : ((ConfigList) root.require("a")).items()) {
                Map<String, String> action = new LinkedHashMap<>();
                item.asMap().entries().forEach((key, value) -> action.put(key, value.asScalar().asString()));
                actions.add(action);
            }
            return actions;
        }
    }

    static Loaded load(String yaml) {
        return new Loaded(yaml, ImportedYaml.check(yaml, "imported.yaml"));
    }

    static Map<String, String> params(ActionSettings action) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("type", action.type());
        all.putAll(action.params());
        return all;
    }
}
