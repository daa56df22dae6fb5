package io.s3logger.domain.port.out;

import io.s3logger.domain.model.status.SpoolStatus;

/**
 * Implemented by the spool's adapter: what only it knows about the spool, as one snapshot. Must be
 * cheap and must not block the writer.
 */
public interface SpoolStatusSource {

    SpoolStatus spoolStatus();
}
