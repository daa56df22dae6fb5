package io.s3logger.domain.service;

import io.s3logger.domain.model.SpoolCap;
import java.util.Objects;

/**
 * Bounds of the ingest side.
 *
 * @param queueBytes memory for batches waiting for the writer; when full, connections stop being read
 * @param spoolCap disk for sealed segments waiting for delivery; when reached, the writer pauses
 */
public record IngestLimits(long queueBytes, SpoolCap spoolCap) {

    public IngestLimits {
        if (queueBytes <= 0) {
            throw new IllegalArgumentException("queueBytes must be positive: " + queueBytes);
        }
        Objects.requireNonNull(spoolCap, "spoolCap");
    }
}
