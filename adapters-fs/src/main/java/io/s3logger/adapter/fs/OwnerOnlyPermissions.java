package io.s3logger.adapter.fs;

import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Creation attributes that give only the owner access (SPEC §9). They are applied when a file or
 * directory is created, so there is no window in which it is readable by others. On a file
 * system without POSIX permissions there is nothing to set.
 */
final class OwnerOnlyPermissions {

    private static final FileAttribute<?>[] NONE = new FileAttribute<?>[0];

    private OwnerOnlyPermissions() {}

    /** {@code rw-------} for a new file under {@code dir}. */
    static FileAttribute<?>[] file(Path dir) {
        return posix(dir) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))} : NONE;
    }

    /** {@code rwx------} for a new directory at {@code dir}. */
    static FileAttribute<?>[] directory(Path dir) {
        return posix(dir) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))} : NONE;
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
