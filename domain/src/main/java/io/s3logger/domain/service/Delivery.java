package io.s3logger.domain.service;

import io.s3logger.domain.model.ObjectKey;
import io.s3logger.domain.model.SealedSegment;
import java.time.Duration;
import java.time.Instant;

/**
 * One confirmed delivery, reported to the delivery listener (metrics).
 *
 * @param uploadTime how long the successful put took
 * @param deliveredAt when the store confirmed it
 */
public record Delivery(SealedSegment segment, ObjectKey key, Duration uploadTime, Instant deliveredAt) {

    /** From the segment's creation to its confirmed delivery: how late the data reaches the store. */
    public Duration age() {
        return Duration.between(segment.id().createdAt(), deliveredAt);
    }
}
