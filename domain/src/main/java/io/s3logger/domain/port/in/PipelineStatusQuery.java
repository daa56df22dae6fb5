package io.s3logger.domain.port.in;

import io.s3logger.domain.model.status.PipelineStatus;

/**
 * What monitoring (metrics, readiness, the status line) asks the program: the status of every
 * stage at one moment. Cheap enough to call on every scrape: it reads counters, takes no lock on
 * the ingest path and does no I/O.
 */
public interface PipelineStatusQuery {

    PipelineStatus status();
}
