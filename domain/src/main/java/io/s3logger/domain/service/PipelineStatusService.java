package io.s3logger.domain.service;

import io.s3logger.domain.model.status.PipelineStatus;
import io.s3logger.domain.port.in.PipelineStatusQuery;
import io.s3logger.domain.port.out.ListenerStatusSource;
import io.s3logger.domain.port.out.SpoolStatusSource;
import java.util.Objects;

/** Answers the {@link PipelineStatusQuery} by taking each stage's snapshot, from the listener to delivery. */
public final class PipelineStatusService implements PipelineStatusQuery {

    private final ListenerStatusSource listener;
    private final IngestService ingest;
    private final SegmentWriter writer;
    private final SpoolStatusSource spool;
    private final DeliveryService delivery;
    private final StoreStartupCheck storeCheck;

    public PipelineStatusService(ListenerStatusSource listener, IngestService ingest, SegmentWriter writer,
            SpoolStatusSource spool, DeliveryService delivery, StoreStartupCheck storeCheck) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.ingest = Objects.requireNonNull(ingest, "ingest");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.spool = Objects.requireNonNull(spool, "spool");
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        this.storeCheck = Objects.requireNonNull(storeCheck, "storeCheck");
    }

    @Override
    public PipelineStatus status() {
        return new PipelineStatus(listener.listenerStatus(), ingest.status(), writer.status(), spool.spoolStatus(),
                delivery.status(), storeCheck.running(), storeCheck.failure());
    }
}
