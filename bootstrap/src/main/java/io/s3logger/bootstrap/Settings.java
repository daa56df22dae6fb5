package io.s3logger.bootstrap;

import io.s3logger.adapter.s3.S3StoreSettings;
import io.s3logger.adapter.tcp.TcpSettings;
import io.s3logger.domain.model.RotationPolicy;
import io.s3logger.domain.service.Backoff;
import java.nio.file.Path;
import java.time.Duration;

/** Every setting, parsed and validated once at start. Nothing else in the program reads configuration. */
public record Settings(
        TcpSettings listen,
        SpoolSettings spool,
        RotationPolicy rotation,
        String prefix,
        Store store,
        DeliverySettings delivery) {

    /**
     * @param queueBytes memory for batches waiting for the writer
     * @param maxBytes cap on finished segments waiting for delivery; 0 for none
     */
    public record SpoolSettings(Path dir, int compressionLevel, Duration flushInterval, long queueBytes, long maxBytes) {}

    public record DeliverySettings(int concurrency, Backoff backoff, Duration alertAfter, Duration shutdownTimeout) {}

    /** Where delivered segments go. */
    public sealed interface Store permits LocalStore, S3Store {}

    public record LocalStore(Path dir) implements Store {}

    public record S3Store(S3StoreSettings s3) implements Store {}
}
