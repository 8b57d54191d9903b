package org.tollgate.server.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTailTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream read = new ByteArrayOutputStream();

    private FileTail tail(Path path) {
        return new FileTail(path, (bytes, offset, length) -> read.write(bytes, offset, length));
    }

    private String readText() {
        return read.toString(StandardCharsets.UTF_8);
    }

    private static void append(Path path, String text) throws Exception {
        Files.writeString(path, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void readsWhatIsAppended() throws Exception {
        Path log = dir.resolve("full");
        append(log, "one\n");
        try (FileTail tail = tail(log)) {
            assertThat(tail.open(null, 0, false)).isTrue();
            tail.poll();
            append(log, "two\n");
            tail.poll();
        }
        assertThat(readText()).isEqualTo("one\ntwo\n");
    }

    @Test
    void followsARenameAfterReadingTheOldFileToItsEnd() throws Exception {
        Path log = dir.resolve("full");
        append(log, "one\n");
        try (FileTail tail = tail(log)) {
            tail.open(null, 0, false);
            tail.poll();
            append(log, "two\n"); // written before logrotate renames, not yet read
            Files.move(log, dir.resolve("full.1"));
            append(log, "three\n");
            tail.poll();
            assertThat(tail.rotations()).isEqualTo(1);
        }
        assertThat(readText()).isEqualTo("one\ntwo\nthree\n");
    }

    @Test
    void startsAgainAfterCopytruncate() throws Exception {
        Path log = dir.resolve("full");
        append(log, "a fairly long first line\n");
        try (FileTail tail = tail(log)) {
            tail.open(null, 0, false);
            tail.poll();
            Files.copy(log, dir.resolve("full.1"));
            Files.writeString(log, "", StandardOpenOption.TRUNCATE_EXISTING);
            append(log, "new\n");
            tail.poll();
            assertThat(tail.truncations()).isEqualTo(1);
        }
        assertThat(readText()).isEqualTo("a fairly long first line\nnew\n");
    }

    @Test
    void resumesAtAStoredPositionOnlyInTheSameFile() throws Exception {
        Path log = dir.resolve("full");
        append(log, "one\ntwo\n");
        String key;
        try (FileTail tail = tail(log)) {
            tail.open(null, 0, false);
            tail.poll();
            key = tail.key();
            assertThat(tail.position()).isEqualTo(8);
        }
        append(log, "three\n");
        read.reset();
        try (FileTail tail = tail(log)) {
            tail.open(key, 8, false);
            tail.poll();
        }
        assertThat(readText()).isEqualTo("three\n");

        // Another file at the same path (rotated meanwhile): the stored position does not apply.
        Files.delete(log);
        append(log, "fresh\n");
        read.reset();
        try (FileTail tail = tail(log)) {
            tail.open(key, 8, false);
            tail.poll();
        }
        assertThat(readText()).isEqualTo("fresh\n");
    }

    @Test
    void waitsForAFileThatDoesNotExistYet() throws Exception {
        Path log = dir.resolve("later");
        try (FileTail tail = tail(log)) {
            assertThat(tail.open(null, 0, false)).isFalse();
            assertThat(tail.poll()).isZero();
            append(log, "hello\n");
            tail.poll();
        }
        assertThat(readText()).isEqualTo("hello\n");
    }
}
