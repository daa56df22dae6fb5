package io.s3logger.domain.model.status;

import java.util.Objects;
import java.util.Optional;

/**
 * The whole pipeline at one moment, stage by stage, from the clients to the object store: what
 * metrics, readiness and the status line read. Each part is taken in one call from its stage;
 * the parts are taken one after the other, so counters of different stages may be a moment apart.
 *
 * @param listener the connections and what they sent
 * @param ingest the queue to the segment writer, and its pauses
 * @param writer the segments written and sealed
 * @param spool the local spool
 * @param delivery the backlog and the uploads
 * @param storeCheckRunning whether the object store check made at start is still waiting for the store
 * @param storeCheckFailure why that check failed, if it ran and failed
 */
public record PipelineStatus(ListenerStatus listener, IngestStatus ingest, WriterStatus writer, SpoolStatus spool,
        DeliveryStatus delivery, boolean storeCheckRunning, Optional<String> storeCheckFailure) {

    public PipelineStatus {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(ingest, "ingest");
        Objects.requireNonNull(writer, "writer");
        Objects.requireNonNull(spool, "spool");
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(storeCheckFailure, "storeCheckFailure");
    }
}
