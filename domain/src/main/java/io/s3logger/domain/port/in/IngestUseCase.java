package io.s3logger.domain.port.in;

import io.s3logger.domain.model.LineBatch;

/** What a driving adapter (the TCP listener) calls with the objects it has accepted. */
public interface IngestUseCase {

    /**
     * Hands over complete lines for storage. Blocks while the writer is behind (the bounded
     * queue is full), so that a slow disk slows the callers down instead of losing data.
     * On return the batch is owned by the writer and will be written to a segment.
     *
     * @throws InterruptedException if interrupted while waiting; the batch was not taken
     * @throws IllegalStateException if ingestion has been shut down; the batch was not taken
     */
    void ingest(LineBatch batch) throws InterruptedException;
}
