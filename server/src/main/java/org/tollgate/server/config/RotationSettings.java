package org.tollgate.server.config;

/**
 * The {@code rotate} key of a jsonl output: when the file is rolled over and how many rolled files are kept. Rolled
 * files are numbered as logrotate numbers them, the newest {@code .1}: {@code events.jsonl.1.gz},
 * {@code events.jsonl.2.gz}, …
 *
 * @param maxSize  roll when the file has reached this many bytes; 0 for no size limit
 * @param daily    roll at the first event after midnight (the clock's zone)
 * @param maxFiles rolled files kept; the oldest is deleted at the next roll
 * @param compress gzip each rolled file ({@code .gz})
 */
public record RotationSettings(long maxSize, boolean daily, int maxFiles, boolean compress) {

    public static final int DEFAULT_MAX_FILES = 10;
    /** A year of daily files. Every roll renames each kept file, so the window stays bounded. */
    public static final int MAX_FILES = 366;
    public static final long MIN_SIZE = 1024;
    public static final long MAX_SIZE = 1024L * 1024 * 1024 * 1024;

    public RotationSettings {
        if (maxSize == 0 && !daily) {
            throw new IllegalArgumentException("a rotation needs max_size, daily or both");
        }
        if (maxSize != 0 && (maxSize < MIN_SIZE || maxSize > MAX_SIZE)) {
            throw new IllegalArgumentException("max_size out of range: " + maxSize);
        }
        if (maxFiles < 1 || maxFiles > MAX_FILES) {
            throw new IllegalArgumentException("max_files out of range: " + maxFiles);
        }
    }
}
