package io.s3logger.domain.port.out;

import io.s3logger.domain.model.SealedSegment;
import io.s3logger.domain.model.SegmentId;
import java.io.IOException;

/**
 * The one segment being written. Used by a single thread at a time; not thread-safe.
 */
public interface OpenSegment {

    SegmentId id();

    /**
     * Appends complete lines. They may stay buffered in the process until {@link #flush()}.
     *
     * @throws IOException if writing failed (disk full, I/O error). Lines whose {@code append}
     *     returned normally and that were flushed stay recoverable; the segment may be used again
     *     once writing works, or sealed.
     */
    void append(byte[] bytes, int offset, int length) throws IOException;

    /** Uncompressed bytes appended so far. */
    long uncompressedBytes();

    /**
     * Hands everything appended so far to the operating system in a form that recovery can
     * read back after a crash of the process (not necessarily forced to the device).
     */
    void flush() throws IOException;

    /**
     * Finishes the segment: writes the trailer, forces the file to the device and makes it
     * visible as finished atomically. After a successful return the segment is immutable.
     *
     * @throws IOException if any step failed; the appended lines stay recoverable by the
     *     start-up scan
     */
    SealedSegment seal() throws IOException;
}
