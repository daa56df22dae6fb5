package io.s3logger.domain.port.out;

import io.s3logger.domain.model.SealedSegment;
import io.s3logger.domain.model.SegmentId;
import java.io.IOException;

/**
 * The one segment being written. Used by a single thread at a time; not thread-safe.
 *
 * <p>No failure wedges a segment. Any method may throw an {@link IOException} (disk full, the
 * spool directory read-only for a while, removed and recreated, any I/O error); the segment then
 * stays open, holding every line appended so far, and each call can be retried once the disk
 * works again: a failed {@code append} took nothing (retry it with the same bytes), a failed
 * {@code flush} or {@code seal} lost nothing (retry it, or append more first). So retrying until
 * success stores every line exactly once. Lines flushed before a failure stay recoverable by the
 * start-up scan if the process dies meanwhile.
 */
public interface OpenSegment {

    SegmentId id();

    /**
     * Appends complete lines. They may stay buffered in the process until {@link #flush()}.
     *
     * @throws IOException if writing failed (disk full, I/O error); nothing of these bytes was
     *     taken, and the segment may be used again once writing works
     */
    void append(byte[] bytes, int offset, int length) throws IOException;

    /** Uncompressed bytes appended so far. */
    long uncompressedBytes();

    /**
     * Hands everything appended so far to the operating system in a form that recovery can
     * read back after a crash of the process (not necessarily forced to the device).
     *
     * @throws IOException if writing failed; every appended line is still held, and a later
     *     {@code flush} or {@code seal} writes it
     */
    void flush() throws IOException;

    /**
     * Finishes the segment: forces every appended line to the device and makes the segment
     * visible as finished atomically, so that nobody sees a partly finished one. After a
     * successful return the segment is immutable and must not be used any more.
     *
     * @throws IOException if any step failed; the segment is still open with every appended
     *     line, and {@code seal} (or {@code append}, {@code flush}) may be called again
     */
    SealedSegment seal() throws IOException;
}
