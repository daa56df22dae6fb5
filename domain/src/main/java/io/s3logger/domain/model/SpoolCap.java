package io.s3logger.domain.model;

/**
 * The operator's cap on the spool's disk, and its one rule: when the sealed segments waiting for
 * delivery (the {@link DeliveryBacklog}) take {@code pendingBytesLimit} bytes or more, the writer
 * pauses, and with it ingestion, until delivery has made room; nothing is deleted. The open
 * segment comes on top, at most one rotation size ({@link RotationPolicy#maxBytes()}, a limit on
 * one segment, not on the spool).
 *
 * @param pendingBytesLimit bytes on disk of sealed segments waiting for delivery at which the
 *     writer pauses; 0 for no cap
 */
public record SpoolCap(long pendingBytesLimit) {

    public static final SpoolCap NONE = new SpoolCap(0);

    public SpoolCap {
        if (pendingBytesLimit < 0) {
            throw new IllegalArgumentException("pendingBytesLimit must be >= 0: " + pendingBytesLimit);
        }
    }

    public boolean isEnabled() {
        return pendingBytesLimit > 0;
    }

    /** Whether the writer must pause with this much waiting for delivery. */
    public boolean isReachedBy(DeliveryBacklog backlog) {
        return isEnabled() && backlog.bytes() >= pendingBytesLimit;
    }
}
