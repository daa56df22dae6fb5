package io.s3logger.domain.model.status;

import io.s3logger.domain.model.DeliveryBacklog;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The delivery stage at one moment: what waits for the object store, and what the store has
 * confirmed or refused since start.
 *
 * @param backlog the sealed segments not delivered yet, including those being uploaded
 * @param deliveredSegments segments confirmed by the store
 * @param deliveredBytes their size on disk (compressed)
 * @param deliveredObjects objects in them, counting only segments whose count was known (not those found at start)
 * @param failedAttempts failed upload attempts (each is retried)
 * @param lastDeliveryNanos the monotonic clock's reading when the store last confirmed a delivery, if ever
 * @param lastFailureNanos the monotonic clock's reading when an attempt last failed, if ever
 */
public record DeliveryStatus(DeliveryBacklog backlog, long deliveredSegments, long deliveredBytes, long deliveredObjects,
        long failedAttempts, OptionalLong lastDeliveryNanos, OptionalLong lastFailureNanos) {

    public DeliveryStatus {
        Objects.requireNonNull(backlog, "backlog");
        Objects.requireNonNull(lastDeliveryNanos, "lastDeliveryNanos");
        Objects.requireNonNull(lastFailureNanos, "lastFailureNanos");
    }
}
