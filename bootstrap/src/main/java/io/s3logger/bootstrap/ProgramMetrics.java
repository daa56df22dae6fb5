package io.s3logger.bootstrap;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import io.s3logger.adapter.fs.GzipSegmentSpool;
import io.s3logger.adapter.tcp.ConnectionMemoryBudget;
import io.s3logger.adapter.tcp.FramingException;
import io.s3logger.adapter.tcp.TcpIngestServer;
import io.s3logger.adapter.tcp.TcpIngestStats;
import io.s3logger.domain.model.status.IngestStatus;
import io.s3logger.domain.service.DeliveryService;
import io.s3logger.domain.service.IngestService;
import io.s3logger.domain.service.SegmentWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The program's counters and gauges, read from the parts' own counters when Prometheus scrapes,
 * so that ingestion does no extra work for them. They reconcile: once the writer's queue is empty,
 * {@code objects_received = objects_written + objects_lost}; after a full drain,
 * {@code objects_written = objects_delivered} (for segments written in this run).
 */
final class ProgramMetrics {

    private ProgramMetrics() {}

    /** Registers every metric of the program, and the JVM's, on {@code registry}. */
    static void register(PrometheusRegistry registry, TcpIngestServer server, ConnectionMemoryBudget connectionMemory,
            GzipSegmentSpool spool, SegmentWriter writer, IngestService ingest, DeliveryService delivery,
            InstantSource clock) {
        TcpIngestStats tcp = server.stats();
        JvmMetrics.builder().register(registry); // with process_start_time_seconds
        GaugeWithCallback.builder().name("s3logger_build_info").help("The running version and the spool's compressor; always 1")
                .labelNames("version", "compressor").callback(callback -> callback.call(1, Version.current(), spool.compression()))
                .register(registry);
        RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
        GaugeWithCallback.builder().name("s3logger_uptime").unit(Unit.SECONDS)
                .help("Time since the process started (process_start_time_seconds)")
                .callback(callback -> callback.call(runtime.getUptime() / 1000.0)).register(registry);

        counter(registry, "s3logger_connections_opened", "TCP connections accepted", tcp::connectionsOpened);
        gauge(registry, "s3logger_connections_open", "TCP connections open now", server::openConnections);
        CounterWithCallback.builder().name("s3logger_connections_closed")
                .help("TCP connections closed, by reason: the client ended it (client_closed) or its read failed (read_failed),"
                        + " idle_timeout, shutdown, memory_budget (it held the most of the spent connection memory for the"
                        + " longest), a protocol violation, a failed TLS handshake, or ingestion refusing its objects")
                .labelNames("reason")
                .callback(callback -> {
                    callback.call(tcp.connectionsClosedByClient(), "client_closed");
                    callback.call(tcp.connectionsReadFailed(), "read_failed");
                    callback.call(tcp.connectionsClosedIdle(), "idle_timeout");
                    callback.call(tcp.connectionsClosedByShutdown(), "shutdown");
                    callback.call(tcp.connectionsClosedForMemory(), "memory_budget");
                    for (FramingException.Reason reason : FramingException.Reason.values()) {
                        callback.call(tcp.connectionsRejected(reason), label(reason));
                    }
                    callback.call(tcp.tlsHandshakesFailed(), "tls_handshake_failed");
                    callback.call(tcp.connectionsClosedAfterLoss(), "ingestion_refused");
                })
                .register(registry);
        CounterWithCallback.builder().name("s3logger_connections_rejected")
                .help("Connections closed by the server because their stream broke the protocol, their TLS handshake"
                        + " failed, or the connection limit was reached (over_limit: closed unread, not counted as opened)")
                .labelNames("reason")
                .callback(callback -> {
                    for (FramingException.Reason reason : FramingException.Reason.values()) {
                        callback.call(tcp.connectionsRejected(reason), label(reason));
                    }
                    callback.call(tcp.tlsHandshakesFailed(), "tls_handshake_failed");
                    callback.call(tcp.connectionsRefusedOverLimit(), "over_limit");
                })
                .register(registry);
        gauge(registry, "s3logger_connection_memory", "Bytes the connections hold of their memory budget (-connection-memory-mb)",
                Unit.BYTES, connectionMemory::usedBytes);
        gauge(registry, "s3logger_connection_memory_limit", "The connections' memory budget (-connection-memory-mb)",
                Unit.BYTES, connectionMemory::capacityBytes);
        gauge(registry, "s3logger_connections_waiting_for_memory", "Connections not read because the connection memory is spent",
                connectionMemory::waitingConnections);
        counter(registry, "s3logger_objects_received", "Complete JSON objects accepted from clients", tcp::objectsAccepted);
        counter(registry, "s3logger_received", "Bytes read from clients", Unit.BYTES, tcp::bytesReceived);
        CounterWithCallback.builder().name("s3logger_objects_rejected")
                .help("Objects not accepted, by reason: the offending object of a rejected connection, or one cut off by its client")
                .labelNames("reason")
                .callback(callback -> {
                    for (FramingException.Reason reason : FramingException.Reason.values()) {
                        callback.call(tcp.connectionsRejected(reason), label(reason));
                    }
                    callback.call(tcp.truncatedObjects(), "truncated");
                })
                .register(registry);
        CounterWithCallback.builder().name("s3logger_objects_lost")
                .help("Accepted objects that did not reach the spool, by reason; anything but 0 is a bug or a failing disk at shutdown")
                .labelNames("reason")
                .callback(callback -> {
                    callback.call(tcp.objectsLost(), "refused_by_writer");
                    callback.call(ingest.status().objectsLost(), "write_failed");
                })
                .register(registry);

        counter(registry, "s3logger_objects_written", "Objects appended to spool segments", () -> writer.status().objectsWritten());
        counter(registry, "s3logger_written", "Uncompressed bytes appended to spool segments", Unit.BYTES, () -> writer.status().rawBytesWritten());
        counter(registry, "s3logger_segments_sealed", "Segments finished and handed to delivery", () -> writer.status().segmentsSealed());
        counter(registry, "s3logger_sealed_compressed", "Compressed bytes of the segments sealed", Unit.BYTES, () -> writer.status().compressedBytesSealed());
        counter(registry, "s3logger_spool_write_failures", "Failed writes to the spool (ingestion pauses and retries)", () -> ingest.status().spoolWriteFailures());
        counter(registry, "s3logger_spool_damaged_segments",
                "Finished segments found damaged (truncated) at start and salvaged", spool::damagedSegments);
        gauge(registry, "s3logger_ingest_queue", "Bytes of objects waiting for the segment writer", Unit.BYTES, () -> ingest.status().queuedBytes());
        GaugeWithCallback.builder().name("s3logger_ingestion_paused")
                .help("1 while connections are not read because of this cause, else 0")
                .labelNames("cause")
                .callback(callback -> {
                    IngestStatus.Pause now = ingest.status().pause();
                    for (IngestStatus.Pause cause : IngestStatus.Pause.values()) {
                        if (cause != IngestStatus.Pause.NONE) {
                            callback.call(now == cause ? 1 : 0, cause.name().toLowerCase(Locale.ROOT));
                        }
                    }
                })
                .register(registry);

        counter(registry, "s3logger_segments_delivered", "Segments confirmed by the object store", () -> delivery.status().deliveredSegments());
        counter(registry, "s3logger_delivered", "Compressed bytes confirmed by the object store", Unit.BYTES, () -> delivery.status().deliveredBytes());
        counter(registry, "s3logger_objects_delivered",
                "Objects in the segments confirmed by the store (not counting segments found in the spool at start)",
                () -> delivery.status().deliveredObjects());
        counter(registry, "s3logger_delivery_failures", "Failed upload attempts (each is retried)", () -> delivery.status().failedAttempts());
        gauge(registry, "s3logger_spool_backlog_segments", "Sealed segments waiting for delivery or being uploaded", () -> delivery.status().backlog().segments());
        gauge(registry, "s3logger_spool_backlog_objects",
                "Objects in the sealed segments waiting for delivery (not counting segments found in the spool at start)",
                () -> delivery.status().backlog().objects());
        gauge(registry, "s3logger_spool_backlog", "Bytes of the sealed segments waiting for delivery", Unit.BYTES, () -> delivery.status().backlog().bytes());
        GaugeWithCallback.builder().name("s3logger_spool_backlog_oldest_age").unit(Unit.SECONDS)
                .help("Age of the oldest segment waiting for delivery; 0 when none is waiting")
                .callback(callback -> callback.call(delivery.status().backlog().oldestWaiting()
                        .map(oldest -> Duration.between(oldest, clock.instant()).toMillis() / 1000.0)
                        .orElse(0.0)))
                .register(registry);
    }

    private static String label(FramingException.Reason reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }

    private static void counter(PrometheusRegistry registry, String name, String help, LongSupplier value) {
        CounterWithCallback.builder().name(name).help(help)
                .callback(callback -> callback.call(value.getAsLong())).register(registry);
    }

    private static void counter(PrometheusRegistry registry, String name, String help, Unit unit, LongSupplier value) {
        CounterWithCallback.builder().name(name).unit(unit).help(help)
                .callback(callback -> callback.call(value.getAsLong())).register(registry);
    }

    private static void gauge(PrometheusRegistry registry, String name, String help, LongSupplier value) {
        GaugeWithCallback.builder().name(name).help(help)
                .callback(callback -> callback.call(value.getAsLong())).register(registry);
    }

    private static void gauge(PrometheusRegistry registry, String name, String help, Unit unit, LongSupplier value) {
        GaugeWithCallback.builder().name(name).unit(unit).help(help)
                .callback(callback -> callback.call(value.getAsLong())).register(registry);
    }
}
