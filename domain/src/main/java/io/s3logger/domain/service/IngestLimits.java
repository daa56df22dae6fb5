package io.s3logger.domain.service;

/**
 * Bounds of the ingest side.
 *
 * @param queueBytes memory for batches waiting for the writer; when full, connections stop being read
 * @param spoolCapBytes when the finished segments waiting for delivery take this much disk, the
 *     writer pauses (and so ingestion) until delivery has made room; 0 disables the cap. The open
 *     segment comes on top, at most one rotation size.
 */
public record IngestLimits(long queueBytes, long spoolCapBytes) {

    public IngestLimits {
        if (queueBytes <= 0) {
            throw new IllegalArgumentException("queueBytes must be positive: " + queueBytes);
        }
        if (spoolCapBytes < 0) {
            throw new IllegalArgumentException("spoolCapBytes must be >= 0: " + spoolCapBytes);
        }
    }
}
