package io.s3logger.domain.port.out;

import io.s3logger.domain.model.SealedSegment;
import io.s3logger.domain.model.SegmentId;
import java.io.IOException;
import java.util.List;

/** Local storage for segments until they are delivered. */
public interface SegmentSpool {

    /**
     * Scans the spool for segments of earlier runs. A segment left unfinished by a crash, or a
     * finished one found damaged (truncated), is salvaged (complete lines kept, a torn last line
     * dropped) and sealed. Segments open in this instance are left alone.
     *
     * @return every finished segment, oldest first
     * @throws IOException if the spool cannot be read
     */
    List<SealedSegment> recover() throws IOException;

    /**
     * Starts a new segment under a temporary name; nothing is visible as finished until
     * {@link OpenSegment#seal()}. See {@link OpenSegment} for what a failure of a segment leaves.
     *
     * @throws IOException if the segment cannot be created now (disk full, directory not
     *     writable); nothing is left behind, and {@code create} may be called again
     */
    OpenSegment create(SegmentId id) throws IOException;

    /**
     * Removes a segment after the object store has confirmed its delivery. Deleting a segment
     * that is already gone is not an error.
     */
    void delete(SealedSegment segment) throws IOException;
}
