package org.tollgate.server.adopt;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a file whole or not at all: a temporary file beside it, moved into place. */
public final class WholeFile {

    private WholeFile() {
    }

    /**
     * Writes {@code bytes} to {@code target}.
     *
     * @param replace whether an existing {@code target} is replaced; when false, an existing file is left as it is
     * @throws FileAlreadyExistsException when {@code target} exists and {@code replace} is false
     */
    public static void write(Path target, byte[] bytes, boolean replace) throws IOException {
        if (!replace && Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        Path dir = target.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            Files.write(temporary, bytes);
            StandardCopyOption[] options = replace
                    ? new StandardCopyOption[] {StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING}
                    : new StandardCopyOption[] {StandardCopyOption.ATOMIC_MOVE};
            try {
                Files.move(temporary, target, options);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, replace
                        ? new StandardCopyOption[] {StandardCopyOption.REPLACE_EXISTING} : new StandardCopyOption[0]);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
