package io.s3logger.domain.model.status;

import java.util.Objects;

/**
 * The ingest stage at one moment: the queue between the connections and the segment writer, and
 * whether (and why) the writer has stopped taking from it.
 *
 * @param queuedBytes bytes of batches waiting for the writer
 * @param pause why the writer is not taking batches, apart from simply being busy
 * @param spoolWriteFailures failed writes to the spool since start (each paused ingestion and was retried)
 * @param objectsLost accepted objects that were not written (a stop gave up); the goal is that this stays 0
 */
public record IngestStatus(long queuedBytes, Pause pause, long spoolWriteFailures, long objectsLost) {

    /** Why the writer is not taking batches, apart from simply being busy. */
    public enum Pause { NONE, SPOOL_WRITE_FAILING, SPOOL_FULL }

    public IngestStatus {
        Objects.requireNonNull(pause, "pause");
    }
}
