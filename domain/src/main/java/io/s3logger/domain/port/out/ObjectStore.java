package io.s3logger.domain.port.out;

import io.s3logger.domain.model.ObjectKey;
import io.s3logger.domain.model.SegmentStats;
import java.nio.file.Path;
import java.util.Optional;

/** Where finished segments are delivered: S3, an S3-compatible store, or a local directory. */
public interface ObjectStore extends AutoCloseable {

    /**
     * Stores the whole content of {@code file} under {@code key}, replacing any object there.
     * On normal return the store has durably accepted the complete object. On exception no
     * partial object is visible under {@code key}, and {@code file} is neither deleted nor
     * changed. Safe to call from several threads. A store that can keep metadata with an object
     * (S3: user metadata) keeps {@code stats} there.
     *
     * @throws ObjectStoreException on any failure (unreachable, denied, file unreadable, ...);
     *     the caller may retry
     */
    void put(ObjectKey key, Path file, Optional<SegmentStats> stats) throws ObjectStoreException;

    /** {@link #put(ObjectKey, Path, Optional)} of an object whose content is not counted. */
    default void put(ObjectKey key, Path file) throws ObjectStoreException {
        put(key, file, Optional.empty());
    }

    /**
     * Checks once, at start, that the store can be reached and written (e.g. the bucket exists).
     * A store may also clean up here what earlier runs left behind (S3: abandoned multipart
     * uploads under the program's keys).
     *
     * @throws ObjectStoreException with a message an operator can act on
     */
    void checkAvailable() throws ObjectStoreException;

    /** Releases clients and connections. */
    @Override
    void close();
}
