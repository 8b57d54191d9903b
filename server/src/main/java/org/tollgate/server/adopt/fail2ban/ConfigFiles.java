package org.tollgate.server.adopt.fail2ban;

import static org.tollgate.server.adopt.fail2ban.Fail2banConfig.INCLUDES;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tollgate.banner.config.ConfigException;
import org.tollgate.server.adopt.fail2ban.IniFile.IniValue;

/**
 * The files that make up one fail2ban configuration, in the order {@link Fail2banConfig} merges them, each read once
 * and parsed: fail2ban's candidates ({@code NAME.conf}, {@code NAME.d/*.conf}, {@code NAME.local},
 * {@code NAME.d/*.local}), each followed by its {@code .local} twin and surrounded by its {@code [INCLUDES]}.
 * Kept apart from the merging and interpolation so that what is read from disk, and how strictly, is in one place.
 */
final class ConfigFiles {

    private static final long LARGEST_FILE = 4L << 20;

    private ConfigFiles() {
    }

    /** The parsed files of {@code name} under {@code base} in merge order; none when no candidate exists. */
    static List<IniFile> of(Path base, String name) throws IOException {
        Path stem = base.resolve(name);
        Path dir = base.resolve(name + ".d");
        List<Path> candidates = new ArrayList<>();
        candidates.add(withSuffix(stem, ".conf"));
        candidates.addAll(glob(dir, ".conf"));
        candidates.add(withSuffix(stem, ".local"));
        candidates.addAll(glob(dir, ".local"));
        List<Path> existing = new ArrayList<>();
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                existing.add(candidate);
            }
        }
        Map<Path, IniFile> parsed = new HashMap<>();
        return inOrder(includes(existing, List.of(), parsed), parsed);
    }

    /** {@code file}, already read, as if it were at {@code as}, with the files its includes name around it. */
    static List<IniFile> around(IniFile file, Path as) throws IOException {
        Map<Path, IniFile> parsed = new HashMap<>();
        parsed.put(as, file);
        return inOrder(includesOf(as, List.of(), parsed), parsed);
    }

    private static List<IniFile> inOrder(List<Path> order, Map<Path, IniFile> parsed) {
        List<IniFile> files = new ArrayList<>(order.size());
        for (Path path : order) {
            files.add(parsed.get(path));
        }
        return files;
    }

    /** fail2ban's include expansion: each file's {@code .local} twin after it, its includes around it. */
    private static List<Path> includes(List<Path> files, List<Path> seen, Map<Path, IniFile> parsed) throws IOException {
        List<Path> expanded = new ArrayList<>();
        for (Path file : files) {
            expanded.add(file);
            Path local = localTwin(file);
            if (local != null && !files.contains(local) && Files.isRegularFile(local)) {
                expanded.add(local);
            }
        }
        List<Path> order = new ArrayList<>();
        for (Path file : expanded) {
            order.addAll(includesOf(file, seen, parsed));
        }
        return order;
    }

    private static List<Path> includesOf(Path file, List<Path> seen, Map<Path, IniFile> parsed) throws IOException {
        IniFile ini = parsed.get(file);
        if (ini == null) {
            if (!Files.isRegularFile(file)) {
                return List.of();
            }
            ini = IniFile.parse(readText(file), file.toString());
            parsed.put(file, ini);
        }
        List<Path> before = new ArrayList<>();
        List<Path> after = new ArrayList<>();
        Map<String, IniValue> includes = ini.sections().get(INCLUDES);
        if (includes != null) {
            List<Path> nextSeen = new ArrayList<>(seen);
            nextSeen.add(file);
            for (String option : List.of("before", "after")) {
                IniValue value = includes.get(option);
                if (value == null) {
                    continue;
                }
                String names = Fail2banConfig.single(ini).get(INCLUDES, option);
                for (String name : names.split("\n", -1)) {
                    Path included = file.getParent() == null ? Path.of(name) : file.getParent().resolve(name);
                    if (name.isEmpty() || seen.contains(included)) {
                        continue;
                    }
                    (option.equals("before") ? before : after).addAll(includes(List.of(included), nextSeen, parsed));
                }
            }
        }
        List<Path> order = new ArrayList<>(before);
        order.add(file);
        order.addAll(after);
        return order;
    }

    private static Path localTwin(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot <= 0) {
            return null;
        }
        return file.resolveSibling(name.substring(0, dot) + ".local");
    }

    private static Path withSuffix(Path stem, String suffix) {
        return stem.resolveSibling(stem.getFileName() + suffix);
    }

    /** {@code dir/*suffix} sorted by name, hidden files left out (as Python's glob does). */
    private static List<Path> glob(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        Set<String> names = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.startsWith(".") && name.endsWith(suffix)) {
                    names.add(name);
                }
            }
        }
        List<Path> paths = new ArrayList<>();
        for (String name : names) {
            paths.add(dir.resolve(name));
        }
        return paths;
    }

    /** UTF-8 text of a configuration file; a file that is not UTF-8 or is implausibly large is an error. */
    private static String readText(Path file) throws IOException {
        long size = Files.size(file);
        if (size > LARGEST_FILE) {
            throw new ConfigException("", "a configuration file of " + size + " bytes; fail2ban files are a few KB",
                    file.toString(), 0);
        }
        byte[] bytes = Files.readAllBytes(file);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        StringBuilder text = new StringBuilder(bytes.length);
        int line = 1;
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n') {
                try {
                    text.append(decoder.decode(ByteBuffer.wrap(bytes, start, i - start)));
                } catch (CharacterCodingException e) {
                    throw new ConfigException("", "not UTF-8 text (fail2ban reads its files as UTF-8)", file.toString(),
                            line);
                }
                if (i < bytes.length) {
                    text.append('\n');
                }
                line++;
                start = i + 1;
            }
        }
        return text.toString();
    }
}
