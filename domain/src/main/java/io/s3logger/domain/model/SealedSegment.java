package io.s3logger.domain.model;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A finished segment on disk: a complete gzip file that will not change any more.
 *
 * @param file the finished file in the spool
 * @param sizeBytes its length on disk (compressed)
 */
public record SealedSegment(SegmentId id, Path file, long sizeBytes) implements Comparable<SealedSegment> {

    public SealedSegment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(file, "file");
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes must be >= 0: " + sizeBytes);
        }
    }

    @Override
    public int compareTo(SealedSegment other) {
        return id.compareTo(other.id);
    }
}
