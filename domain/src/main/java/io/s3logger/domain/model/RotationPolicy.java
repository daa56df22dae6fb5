package io.s3logger.domain.model;

import java.time.Duration;
import java.util.Objects;

/**
 * When an open segment is closed: when its age reaches {@code maxAge}, or when the uncompressed
 * bytes written to it reach {@code maxBytes} ({@code 0} disables size rotation).
 */
public record RotationPolicy(Duration maxAge, long maxBytes) {

    public RotationPolicy {
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive: " + maxAge);
        }
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0: " + maxBytes);
        }
    }

    /** Whether a segment open for {@code age} (measured on a monotonic clock) must be closed. */
    public boolean isOld(Duration age) {
        return age.compareTo(maxAge) >= 0;
    }

    public boolean isFull(long uncompressedBytes) {
        return maxBytes > 0 && uncompressedBytes >= maxBytes;
    }

    /** Bytes that may still be written before the segment is full; {@code Long.MAX_VALUE} without a size limit. */
    public long remainingBytes(long uncompressedBytes) {
        return maxBytes == 0 ? Long.MAX_VALUE : Math.max(0, maxBytes - uncompressedBytes);
    }
}
