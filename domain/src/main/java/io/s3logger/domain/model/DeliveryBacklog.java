package io.s3logger.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What waits for delivery at one moment, taken as one piece so that its parts agree: the sealed
 * segments not delivered yet, including those being uploaded right now.
 *
 * @param segments how many
 * @param bytes their size on disk (compressed)
 * @param objects the objects in them, counting only segments whose count is known (not those found at start)
 * @param oldestWaiting creation time of the oldest one not being uploaded right now, if any
 */
public record DeliveryBacklog(int segments, long bytes, long objects, Optional<Instant> oldestWaiting) {

    public static final DeliveryBacklog EMPTY = new DeliveryBacklog(0, 0, 0, Optional.empty());

    public DeliveryBacklog {
        Objects.requireNonNull(oldestWaiting, "oldestWaiting");
        if (segments < 0 || bytes < 0 || objects < 0) {
            throw new IllegalArgumentException("segments, bytes and objects must be >= 0: " + segments + ", " + bytes + ", " + objects);
        }
    }
}
