package io.s3logger.domain.model.status;

import java.util.Objects;

/**
 * The local spool, as its adapter describes it.
 *
 * @param compression how it compresses segments (e.g. the level, the engine and its threads)
 * @param damagedSegments finished segments found damaged (truncated) at start and salvaged
 */
public record SpoolStatus(String compression, long damagedSegments) {

    public SpoolStatus {
        Objects.requireNonNull(compression, "compression");
    }
}
