package org.tollgate.server.api;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The status page's files (plain HTML, CSS and JavaScript under {@code webroot/} on the class path), read once into
 * memory: three small files, served from a jar without a cache directory on disk. The page holds no data; it asks
 * {@code /api/summary} for it.
 */
final class StatusPage {

    /** One file: its bytes and media type. */
    record File(Buffer content, String contentType) {
    }

    static final String ROOT = "webroot/";
    /** Request path to file name and media type. */
    private static final Map<String, String[]> FILES = Map.of(
            "/", new String[] {"index.html", "text/html; charset=utf-8"},
            "/app.js", new String[] {"app.js", "text/javascript; charset=utf-8"},
            "/style.css", new String[] {"style.css", "text/css; charset=utf-8"});
    /** Scripts and styles from this origin only, no inline code, no frames, data from this origin only. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final Map<String, File> files;

    private StatusPage(Map<String, File> files) {
        this.files = files;
    }

    /** Reads every file; blocking. */
    static StatusPage load() {
        Map<String, File> files = new LinkedHashMap<>();
        ClassLoader loader = StatusPage.class.getClassLoader();
        FILES.forEach((path, file) -> {
            try (InputStream in = loader.getResourceAsStream(ROOT + file[0])) {
                if (in == null) {
                    throw new IllegalStateException("the status page file " + ROOT + file[0] + " is not on the class path");
                }
                files.put(path, new File(Buffer.buffer(in.readAllBytes()), file[1]));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + ROOT + file[0], e);
            }
        });
        return new StatusPage(files);
    }

    /** The paths served. */
    Iterable<String> paths() {
        return files.keySet();
    }

    Optional<File> file(String path) {
        return Optional.ofNullable(files.get(path));
    }
}
