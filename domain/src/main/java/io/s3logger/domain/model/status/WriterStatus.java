package io.s3logger.domain.model.status;

/**
 * The segment writer's totals at one moment, since start.
 *
 * @param objectsWritten objects appended to segments (they are in the spool once flushed)
 * @param rawBytesWritten uncompressed bytes appended to segments
 * @param segmentsSealed segments finished and handed to delivery
 * @param compressedBytesSealed bytes on disk of the segments sealed
 */
public record WriterStatus(long objectsWritten, long rawBytesWritten, long segmentsSealed, long compressedBytesSealed) {}
