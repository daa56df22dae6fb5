package io.s3logger.domain.model;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A finished segment on disk: a complete gzip file that will not change any more.
 *
 * @param file the finished file in the spool
 * @param sizeBytes its length on disk (compressed)
 * @param objects the number of objects (lines) in it, or {@link #UNKNOWN_OBJECTS} for a segment
 *     found on disk at start, whose count is not known without reading it
 * @param stats what the writer counted, for a segment sealed by this process; empty for one found
 *     on disk at start
 */
public record SealedSegment(SegmentId id, Path file, long sizeBytes, long objects, Optional<SegmentStats> stats)
        implements Comparable<SealedSegment> {

    public static final long UNKNOWN_OBJECTS = -1;

    public SealedSegment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(stats, "stats");
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes must be >= 0: " + sizeBytes);
        }
        if (objects < UNKNOWN_OBJECTS) {
            throw new IllegalArgumentException("objects must be >= 0 or UNKNOWN_OBJECTS: " + objects);
        }
    }

    /** A segment whose object count is not known (what the spool reports). */
    public SealedSegment(SegmentId id, Path file, long sizeBytes) {
        this(id, file, sizeBytes, UNKNOWN_OBJECTS);
    }

    public SealedSegment(SegmentId id, Path file, long sizeBytes, long objects) {
        this(id, file, sizeBytes, objects, Optional.empty());
    }

    public SealedSegment withObjects(long count) {
        return new SealedSegment(id, file, sizeBytes, count, stats);
    }

    /** This segment with what its writer counted; its object count is the stats'. */
    public SealedSegment withStats(SegmentStats counted) {
        return new SealedSegment(id, file, sizeBytes, counted.objects(), Optional.of(counted));
    }

    @Override
    public int compareTo(SealedSegment other) {
        return id.compareTo(other.id);
    }
}
