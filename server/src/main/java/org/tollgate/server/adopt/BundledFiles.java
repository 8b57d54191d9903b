package org.tollgate.server.adopt;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The repository files the jar carries as they are in the repository ({@code patches/*.patch},
 * {@code filters/*.conf}; see the server's pom), read from the classpath whether it is a directory (tests) or the
 * jar.
 */
public final class BundledFiles {

    private BundledFiles() {
    }

    /**
     * The files directly in {@code directory} whose names end in {@code suffix}, by name in name order, with their text.
     *
     * @throws IllegalStateException when the directory is not on the classpath (a jar built without it)
     */
    public static Map<String, String> read(String directory, String suffix) {
        URL url = BundledFiles.class.getClassLoader().getResource(directory);
        if (url == null) {
            throw new IllegalStateException(directory + "/ is not in this build of Tollgate");
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                FileSystem jar;
                try {
                    jar = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    jar = FileSystems.getFileSystem(uri);
                }
                return list(jar.getPath(directory), suffix);
            }
            return list(Path.of(uri), suffix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> list(Path directory, String suffix) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> entries = Files.list(directory)) {
            entries.filter(p -> p.getFileName().toString().endsWith(suffix)).forEach(files::add);
        }
        Map<String, String> texts = new TreeMap<>();
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                texts.put(file.getFileName().toString().replace("/", ""),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return texts;
    }
}
