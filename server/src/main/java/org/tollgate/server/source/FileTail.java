package org.tollgate.server.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Follows one log file across appends and rotations, handing on the bytes it reads.
 *
 * <ul>
 *   <li>Rotation by rename (logrotate's default): the path now names another file. The old file is read to its end
 *       first, so no line written before the rename is lost, then the new one is read from its start.</li>
 *   <li>Rotation by copytruncate: the file got shorter than what was read. Reading starts again at 0.</li>
 * </ul>
 *
 * <p>Where reading stands is kept as a {@link #position()} under a {@link #key()} that names the file itself (its
 * inode and a hash of its first line), so a restart resumes in the same file and never in a new one that reuses the
 * inode. Not thread-safe: one reader thread per file.
 */
public final class FileTail implements AutoCloseable {

    /** Receives bytes in file order. */
    @FunctionalInterface
    public interface ByteSink {
        void accept(byte[] bytes, int offset, int length);
    }

    private static final int FIRST_LINE_BYTES = 256;
    /** The most one {@link #poll()} reads: 4 MiB, some 20,000 lines, a few tens of milliseconds. */
    static final long MAX_POLL_BYTES = 4L << 20;

    private final Path path;
    private final ByteSink sink;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private FileChannel channel;
    private Object fileKey;
    private String key;
    private long position;
    private long rotations;
    private long truncations;
    /** True while the path names a file this process may not read (permission denied when last opened). */
    private boolean unreadable;

    public FileTail(Path path, ByteSink sink) {
        this.path = Objects.requireNonNull(path, "path");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /**
     * Opens the file. A {@code resume} offset applies when the file's key equals {@code resumeKey} and the file is at
     * least that long; otherwise reading starts at 0, or at the end when {@code fromEnd}.
     *
     * @return true when the file exists and was opened
     */
    public boolean open(String resumeKey, long resume, boolean fromEnd) throws IOException {
        if (!openCurrent()) {
            return false;
        }
        long size = channel.size();
        if (resumeKey != null && resumeKey.equals(key) && resume <= size) {
            position = resume;
        } else {
            position = fromEnd ? size : 0;
        }
        return true;
    }

    /**
     * Reads what was appended since the last call, at most {@link #MAX_POLL_BYTES}, following a rotation if there was
     * one. A backlog is read a slice per call, so the caller stores its position and sees a stop request between
     * slices instead of reading until a file written faster than it is read ends.
     *
     * @return the number of bytes handed on; while a backlog lasts, call again at once
     */
    public long poll() throws IOException {
        if (channel == null && !open(null, 0, false)) {
            return 0;
        }
        long total = drain(MAX_POLL_BYTES);
        if (total >= MAX_POLL_BYTES) {
            return total;
        }
        Object current = currentFileKey();
        if (current != null && !current.equals(fileKey)) {
            // Renamed away: the old file is finished once read to its end (lines written just before the writer
            // reopened included); then the path is followed to the new file.
            total += drain(MAX_POLL_BYTES - total);
            if (total > 0) {
                // The old file's last lines go on alone: the caller marks where it ended under its own key before
                // the next poll follows the path to the new file.
                return total;
            }
            closeChannel();
            rotations++;
            if (openCurrent()) {
                position = 0;
                total += drain(MAX_POLL_BYTES - total);
            }
        } else if (channel.size() < position || (total == 0 && position > 0 && !key.endsWith("#")
                && !key.equals(keyOf(channel, fileKey)))) {
            // Truncated (copytruncate): shorter than what was read, or refilled past it with another first line.
            truncations++;
            position = 0;
            key = keyOf(channel, fileKey);
            total += drain(MAX_POLL_BYTES - total);
        } else if (position > 0 && key.endsWith("#") ) {
            // The file was empty when opened; now that it has a first line, name it by that.
            key = keyOf(channel, fileKey);
        }
        return total;
    }

    /** Reads on until the end of the file or until {@code limit} bytes (rounded up to a buffer) were handed on. */
    private long drain(long limit) throws IOException {
        long total = 0;
        while (total < limit) {
            buffer.clear();
            int read = channel.read(buffer, position);
            if (read <= 0) {
                return total;
            }
            position += read;
            total += read;
            if (key.endsWith("#")) {
                // Opened empty: name the file by its first line before its lines are handed on (their event.id).
                key = keyOf(channel, fileKey);
            }
            sink.accept(buffer.array(), 0, read);
        }
        return total;
    }

    private boolean openCurrent() throws IOException {
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            unreadable = false;
            return false;
        } catch (AccessDeniedException e) {
            // Tried again at every poll, as a missing file is: reading starts once the file's mode lets it.
            unreadable = true;
            return false;
        }
        unreadable = false;
        fileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        key = keyOf(channel, fileKey);
        return true;
    }

    private Object currentFileKey() throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null; // between logrotate's rename and Asterisk's reopen
        }
    }

    /** {@code (dev=…,ino=…)#<hash of the first line>}; {@code #} alone while the file is empty. */
    private static String keyOf(FileChannel channel, Object fileKey) throws IOException {
        ByteBuffer first = ByteBuffer.allocate(FIRST_LINE_BYTES);
        channel.read(first, 0);
        int length = first.position();
        int end = 0;
        while (end < length && first.get(end) != '\n') {
            end++;
        }
        if (end == length && length < FIRST_LINE_BYTES) {
            return fileKey + "#"; // no complete first line yet
        }
        long hash = 1125899906842597L;
        for (int i = 0; i < end; i++) {
            hash = 31 * hash + first.get(i);
        }
        return fileKey + "#" + Long.toHexString(hash);
    }

    public Path path() {
        return path;
    }

    /** Names the file being read, for storing {@link #position()}. */
    public String key() {
        return key;
    }

    public long position() {
        return position;
    }

    /** True while the path names a file that could not be opened for want of permission (it is tried again). */
    public boolean unreadable() {
        return unreadable;
    }

    public long rotations() {
        return rotations;
    }

    public long truncations() {
        return truncations;
    }

    private void closeChannel() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    @Override
    public void close() throws IOException {
        closeChannel();
    }
}
