package io.s3logger.bootstrap;

import io.s3logger.adapter.s3.S3StoreSettings;
import io.s3logger.adapter.tcp.TcpSettings;
import io.s3logger.domain.model.RotationPolicy;
import io.s3logger.domain.model.SpoolCap;
import io.s3logger.domain.service.RetryTiming;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.event.Level;

/** Every setting, parsed and validated once at start. Nothing else in the program reads configuration. */
public record Settings(
        TcpSettings listen,
        SpoolSettings spool,
        RotationPolicy rotation,
        String prefix,
        Store store,
        DeliverySettings delivery,
        RetryTiming retry,
        MonitoringSettings monitoring,
        LogSettings log) {

    /**
     * @param queueBytes memory for batches waiting for the writer
     * @param compressionThreads threads compressing gzip members in parallel; 0 for one per processor
     * @param cap disk for sealed segments waiting for delivery at which ingestion pauses ({@code -spool-max-mb})
     */
    public record SpoolSettings(Path dir, int compressionLevel, int compressionThreads, Duration flushInterval,
            long queueBytes, SpoolCap cap) {}

    public record DeliverySettings(int concurrency, Duration alertAfter, Duration shutdownTimeout) {}

    /**
     * @param address where the HTTP listener for /metrics, /healthz and /readyz binds (host not
     *     resolved); empty for no listener
     * @param readyMaxBacklogSegments segments waiting for delivery above which the program is not
     *     ready; 0 for no limit
     * @param storeStaleAfter how long upload attempts may fail without a success before the program
     *     is not ready
     */
    public record MonitoringSettings(Optional<InetSocketAddress> address, int readyMaxBacklogSegments, Duration storeStaleAfter) {
        public MonitoringSettings {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(storeStaleAfter, "storeStaleAfter");
            if (readyMaxBacklogSegments < 0) {
                throw new IllegalArgumentException("readyMaxBacklogSegments must be >= 0: " + readyMaxBacklogSegments);
            }
        }
    }

    /** How log lines look on standard error. */
    public enum LogFormat { HUMAN, JSON }

    /** @param statusInterval how often the status line is logged; empty for never */
    public record LogSettings(Level level, LogFormat format, Optional<Duration> statusInterval) {
        public LogSettings {
            Objects.requireNonNull(level, "level");
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(statusInterval, "statusInterval");
        }
    }

    /** Where delivered segments go. */
    public sealed interface Store permits LocalStore, S3Store {}

    public record LocalStore(Path dir) implements Store {}

    public record S3Store(S3StoreSettings s3) implements Store {}
}
