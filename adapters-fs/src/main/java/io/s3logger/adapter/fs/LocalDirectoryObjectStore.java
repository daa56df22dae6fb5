package io.s3logger.adapter.fs;

import io.s3logger.domain.model.ObjectKey;
import io.s3logger.domain.model.SegmentStats;
import io.s3logger.domain.port.out.ObjectStore;
import io.s3logger.domain.port.out.ObjectStoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;

/**
 * An object store on a local directory: the object under key {@code a/b/c.json.gz} is the file
 * {@code root/a/b/c.json.gz}. For trying the program without S3, and for tests.
 *
 * <p>{@link #put} copies to a temporary file next to the target (named {@code .<name>.<random>.tmp},
 * so it can never be taken for an object), forces it to the device and renames it over the
 * target atomically: a reader sees the old object or the complete new one, never a part. Objects
 * are created owner-only ({@code rw-------}). Safe to use from several threads.
 *
 * <p>The segment's stats are not kept: a sidecar file would break the key layout (SPEC §4), and
 * extended attributes are lost by most copies and archives. The S3 store keeps them.
 */
public final class LocalDirectoryObjectStore implements ObjectStore {

    private final Path root;

    /** @param root the directory holding the objects; created on first use if missing */
    public LocalDirectoryObjectStore(Path root) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    }

    @Override
    public void put(ObjectKey key, Path file, Optional<SegmentStats> stats) throws ObjectStoreException {
        Path target = resolve(key);
        Path temp = null;
        try {
            Path parent = target.getParent();
            Files.createDirectories(parent);
            temp = Files.createTempFile(parent, "." + target.getFileName() + ".", ".tmp");
            copyAndForce(file, temp);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            DirectorySync.force(parent);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp, e);
            throw new ObjectStoreException("cannot store object " + key + " under " + root + ": " + e, e);
        }
    }

    /** Creates the root directory if needed and proves it writable by creating and deleting a file in it. */
    @Override
    public void checkAvailable() throws ObjectStoreException {
        try {
            Files.createDirectories(root);
            Files.delete(Files.createTempFile(root, ".probe.", ".tmp"));
        } catch (IOException e) {
            throw new ObjectStoreException(
                    "local object store directory " + root + " is not a writable directory: " + e, e);
        }
    }

    @Override
    public void close() {}

    private Path resolve(ObjectKey key) throws ObjectStoreException {
        Path target = root.resolve(key.value()).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new ObjectStoreException("object key " + key + " points outside the store directory " + root);
        }
        return target;
    }

    private static void copyAndForce(Path source, Path target) throws IOException {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE)) {
            long size = in.size();
            long copied = 0;
            while (copied < size) {
                long n = in.transferTo(copied, size - copied, out);
                if (n <= 0) {
                    throw new IOException(source + " ended after " + copied + " of " + size + " bytes");
                }
                copied += n;
            }
            out.force(true);
        }
    }

    private static void deleteQuietly(Path temp, Exception failure) {
        if (temp == null) {
            return;
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
