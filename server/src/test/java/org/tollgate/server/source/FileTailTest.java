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
            assertThat(tail.poll()).as("the old file's last line, alone").isEqualTo(4);
            assertThat(tail.rotations()).isZero();
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

    @Test
    void aDeletedFileIsReadToItsEndAndTheOneCreatedInItsPlaceFromItsStart() throws Exception {
        Path log = dir.resolve("full");
        append(log, "one\n");
        try (FileTail tail = tail(log)) {
            tail.open(null, 0, false);
            tail.poll();
            append(log, "two\n");
            Files.delete(log);
            assertThat(tail.poll()).as("the deleted file's last line, read through the open channel").isEqualTo(4);
            assertThat(tail.poll()).as("nothing to read while the path names no file").isZero();
            append(log, "three\n");
            tail.poll();
            assertThat(tail.rotations()).isEqualTo(1);
        }
        assertThat(readText()).isEqualTo("one\ntwo\nthree\n");
    }

    @Test
    void aFileReplacedByASymlinkToAnotherIsFollowedIntoTheOther() throws Exception {
        Path log = dir.resolve("full");
        Path other = dir.resolve("elsewhere.log");
        append(log, "one\n");
        append(other, "other one\n");
        try (FileTail tail = tail(log)) {
            tail.open(null, 0, false);
            tail.poll();
            Path link = dir.resolve("full.link");
            Files.createSymbolicLink(link, other);
            Files.move(link, log, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            tail.poll();
            append(other, "other two\n");
            tail.poll();
            assertThat(tail.rotations()).isEqualTo(1);
        }
        assertThat(readText()).isEqualTo("one\nother one\nother two\n");
    }

    @Test
    void aFileTruncatedToLessThanWasReadIsReadAgainFromItsStart() throws Exception {
        Path log = dir.resolve("full");
        append(log, "a fairly long first line\nand a second\n");
        try (FileTail tail = tail(log)) {
            tail.open(null, 0, false);
            tail.poll();
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(log,
                    StandardOpenOption.WRITE)) {
                channel.truncate(0);
            }
            append(log, "x\n");
            tail.poll();
            assertThat(tail.truncations()).isEqualTo(1);
        }
        assertThat(readText()).isEqualTo("a fairly long first line\nand a second\nx\n");
    }

    @Test
    void aBacklogIsReadASliceAtATime() throws Exception {
        Path log = dir.resolve("full");
        String line = "x".repeat(1023) + "\n";
        int lines = (int) (FileTail.MAX_POLL_BYTES * 5 / 2 / line.length());
        Files.writeString(log, line.repeat(lines));
        try (FileTail tail = tail(log)) {
            tail.open(null, 0, false);
            int polls = 0;
            long total = 0;
            for (long got = tail.poll(); got > 0; got = tail.poll()) {
                assertThat(got).isLessThanOrEqualTo(FileTail.MAX_POLL_BYTES + 64 * 1024);
                total += got;
                polls++;
            }
            assertThat(total).isEqualTo((long) lines * line.length());
            assertThat(polls).isEqualTo(3);
        }
    }
}
