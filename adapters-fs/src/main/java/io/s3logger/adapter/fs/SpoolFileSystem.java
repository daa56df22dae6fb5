package io.s3logger.adapter.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * The file-system calls a segment's life depends on, besides writing and forcing its channel:
 * creating its file, the atomic rename that finishes it, forcing the directory. In one place so
 * that tests can make each of them fail.
 */
interface SpoolFileSystem {

    SpoolFileSystem REAL = new Real();

    /** Creates {@code file}, which must not exist, owner-only, open for reading and writing. */
    FileChannel createFile(Path file) throws IOException;

    /** Renames {@code from} to {@code to} atomically, replacing {@code to}. */
    void moveAtomically(Path from, Path to) throws IOException;

    /** Forces the directory's entries (a rename, a create, a delete) to the device. */
    void forceDirectory(Path dir) throws IOException;

    /** The operating system's calls. */
    final class Real implements SpoolFileSystem {

        private Real() {}

        @Override
        public FileChannel createFile(Path file) throws IOException {
            return FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE), OwnerOnlyPermissions.file(file.getParent()));
        }

        @Override
        public void moveAtomically(Path from, Path to) throws IOException {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        }

        @Override
        public void forceDirectory(Path dir) throws IOException {
            try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
                channel.force(true);
            }
        }
    }
}
