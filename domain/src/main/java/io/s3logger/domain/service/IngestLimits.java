package io.s3logger.domain.service;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds of the ingest side.
 *
 * @param queueBytes memory for batches waiting for the writer; when full, connections stop being read
 * @param spoolCapBytes when the finished segments waiting for delivery take this much disk, the
 *     writer pauses (and so ingestion) until delivery has made room; 0 disables the cap. The open
 *     segment comes on top, at most one rotation size.
 * @param retryDelay pause between attempts while writing fails or the spool is full
 */
public record IngestLimits(long queueBytes, long spoolCapBytes, Duration retryDelay) {

    public IngestLimits {
        Objects.requireNonNull(retryDelay, "retryDelay");
        if (queueBytes <= 0) {
            throw new IllegalArgumentException("queueBytes must be positive: " + queueBytes);
        }
        if (spoolCapBytes < 0) {
            throw new IllegalArgumentException("spoolCapBytes must be >= 0: " + spoolCapBytes);
        }
        if (retryDelay.isNegative() || retryDelay.isZero()) {
            throw new IllegalArgumentException("retryDelay must be positive: " + retryDelay);
        }
    }
}
