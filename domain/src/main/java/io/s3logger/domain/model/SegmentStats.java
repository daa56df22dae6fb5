package io.s3logger.domain.model;

import java.time.Instant;
import java.util.Objects;

/**
 * What a segment holds, as its writer counted it, so that a stored object can say so without a
 * download (S3 user metadata).
 *
 * @param objects the objects (lines) in it
 * @param rawBytes their uncompressed bytes, newlines included
 * @param firstArrival when the writer appended the first of them (within the ingest queue's delay of arrival)
 * @param lastArrival when it appended the last
 */
public record SegmentStats(long objects, long rawBytes, Instant firstArrival, Instant lastArrival) {

    public SegmentStats {
        Objects.requireNonNull(firstArrival, "firstArrival");
        Objects.requireNonNull(lastArrival, "lastArrival");
        if (objects < 0 || rawBytes < 0) {
            throw new IllegalArgumentException("objects and rawBytes must be >= 0: " + objects + ", " + rawBytes);
        }
    }
}
