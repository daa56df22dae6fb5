package io.s3logger.bootstrap;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import io.s3logger.domain.model.status.IngestStatus;
import io.s3logger.domain.model.status.ListenerStatus;
import io.s3logger.domain.model.status.PipelineStatus;
import io.s3logger.domain.port.in.PipelineStatusQuery;
import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * The program's counters and gauges, read from the {@link PipelineStatusQuery pipeline's status}
 * when Prometheus scrapes, so that ingestion does no extra work for them. They reconcile: once the
 * writer's queue is empty, {@code objects_received = objects_written + objects_lost}; after a full drain,
 * {@code objects_written = objects_delivered} (for segments written in this run).
 */
final class ProgramMetrics {

    private ProgramMetrics() {}

    /** Registers every metric of the program, and the JVM's, on {@code registry}; each reads the pipeline's status when scraped. */
    static void register(PrometheusRegistry registry, PipelineStatusQuery pipeline, InstantSource clock) {
        JvmMetrics.builder().register(registry); // with process_start_time_seconds
        GaugeWithCallback.builder().name("s3logger_build_info").help("The running version and the spool's compressor; always 1")
                .labelNames("version", "compressor")
                .callback(callback -> callback.call(1, Version.current(), pipeline.status().spool().compression()))
                .register(registry);
        RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
        GaugeWithCallback.builder().name("s3logger_uptime").unit(Unit.SECONDS)
                .help("Time since the process started (process_start_time_seconds)")
                .callback(callback -> callback.call(runtime.getUptime() / 1000.0)).register(registry);

        Metrics metrics = new Metrics(registry, pipeline);
        metrics.counter("s3logger_connections_opened", "TCP connections accepted", status -> status.listener().connectionsOpened());
        metrics.gauge("s3logger_connections_open", "TCP connections open now", status -> status.listener().connectionsOpen());
        CounterWithCallback.builder().name("s3logger_connections_closed")
                .help("TCP connections closed, by reason: the client ended it (client_closed) or its read failed (read_failed),"
                        + " idle_timeout, shutdown, memory_budget (it held the most of the spent connection memory for the"
                        + " longest), a protocol violation, a failed TLS handshake, or ingestion refusing its objects")
                .labelNames("reason")
                .callback(callback -> {
                    ListenerStatus listener = pipeline.status().listener();
                    ListenerStatus.Closes closes = listener.closes();
                    callback.call(closes.byClient(), "client_closed");
                    callback.call(closes.readFailed(), "read_failed");
                    callback.call(closes.idle(), "idle_timeout");
                    callback.call(closes.byShutdown(), "shutdown");
                    callback.call(closes.forMemory(), "memory_budget");
                    listener.protocolViolations().forEach((reason, count) -> callback.call(count, reason));
                    callback.call(listener.tlsHandshakesFailed(), "tls_handshake_failed");
                    callback.call(closes.afterRefusal(), "ingestion_refused");
                })
                .register(registry);
        CounterWithCallback.builder().name("s3logger_connections_rejected")
                .help("Connections closed by the server because their stream broke the protocol, their TLS handshake"
                        + " failed, or the connection limit was reached (over_limit: closed unread, not counted as opened)")
                .labelNames("reason")
                .callback(callback -> {
                    ListenerStatus listener = pipeline.status().listener();
                    listener.protocolViolations().forEach((reason, count) -> callback.call(count, reason));
                    callback.call(listener.tlsHandshakesFailed(), "tls_handshake_failed");
                    callback.call(listener.refusedOverLimit(), "over_limit");
                })
                .register(registry);
        metrics.gauge("s3logger_connection_memory", "Bytes the connections hold of their memory budget (-connection-memory-mb)",
                Unit.BYTES, status -> status.listener().memory().usedBytes());
        metrics.gauge("s3logger_connection_memory_limit", "The connections' memory budget (-connection-memory-mb)",
                Unit.BYTES, status -> status.listener().memory().capacityBytes());
        metrics.gauge("s3logger_connections_waiting_for_memory", "Connections not read because the connection memory is spent",
                status -> status.listener().memory().waitingConnections());
        metrics.counter("s3logger_objects_received", "Complete JSON objects accepted from clients",
                status -> status.listener().objectsAccepted());
        metrics.counter("s3logger_received", "Bytes read from clients", Unit.BYTES, status -> status.listener().bytesReceived());
        CounterWithCallback.builder().name("s3logger_objects_rejected")
                .help("Objects not accepted, by reason: the offending object of a rejected connection, or one cut off by its client")
                .labelNames("reason")
                .callback(callback -> {
                    ListenerStatus listener = pipeline.status().listener();
                    listener.protocolViolations().forEach((reason, count) -> callback.call(count, reason));
                    callback.call(listener.truncatedObjects(), "truncated");
                })
                .register(registry);
        CounterWithCallback.builder().name("s3logger_objects_lost")
                .help("Accepted objects that did not reach the spool, by reason; anything but 0 is a bug or a failing disk at shutdown")
                .labelNames("reason")
                .callback(callback -> {
                    PipelineStatus status = pipeline.status();
                    callback.call(status.listener().objectsRefused(), "refused_by_writer");
                    callback.call(status.ingest().objectsLost(), "write_failed");
                })
                .register(registry);

        metrics.counter("s3logger_objects_written", "Objects appended to spool segments", status -> status.writer().objectsWritten());
        metrics.counter("s3logger_written", "Uncompressed bytes appended to spool segments", Unit.BYTES,
                status -> status.writer().rawBytesWritten());
        metrics.counter("s3logger_segments_sealed", "Segments finished and handed to delivery", status -> status.writer().segmentsSealed());
        metrics.counter("s3logger_sealed_compressed", "Compressed bytes of the segments sealed", Unit.BYTES,
                status -> status.writer().compressedBytesSealed());
        metrics.counter("s3logger_spool_write_failures", "Failed writes to the spool (ingestion pauses and retries)",
                status -> status.ingest().spoolWriteFailures());
        metrics.counter("s3logger_spool_damaged_segments", "Finished segments found damaged (truncated) at start and salvaged",
                status -> status.spool().damagedSegments());
        metrics.gauge("s3logger_ingest_queue", "Bytes of objects waiting for the segment writer", Unit.BYTES,
                status -> status.ingest().queuedBytes());
        GaugeWithCallback.builder().name("s3logger_ingestion_paused")
                .help("1 while connections are not read because of this cause, else 0")
                .labelNames("cause")
                .callback(callback -> {
                    IngestStatus.Pause now = pipeline.status().ingest().pause();
                    for (IngestStatus.Pause cause : IngestStatus.Pause.values()) {
                        if (cause != IngestStatus.Pause.NONE) {
                            callback.call(now == cause ? 1 : 0, cause.name().toLowerCase(Locale.ROOT));
                        }
                    }
                })
                .register(registry);

        metrics.counter("s3logger_segments_delivered", "Segments confirmed by the object store",
                status -> status.delivery().deliveredSegments());
        metrics.counter("s3logger_delivered", "Compressed bytes confirmed by the object store", Unit.BYTES,
                status -> status.delivery().deliveredBytes());
        metrics.counter("s3logger_objects_delivered",
                "Objects in the segments confirmed by the store (not counting segments found in the spool at start)",
                status -> status.delivery().deliveredObjects());
        metrics.counter("s3logger_delivery_failures", "Failed upload attempts (each is retried)",
                status -> status.delivery().failedAttempts());
        metrics.gauge("s3logger_spool_backlog_segments", "Sealed segments waiting for delivery or being uploaded",
                status -> status.delivery().backlog().segments());
        metrics.gauge("s3logger_spool_backlog_objects",
                "Objects in the sealed segments waiting for delivery (not counting segments found in the spool at start)",
                status -> status.delivery().backlog().objects());
        metrics.gauge("s3logger_spool_backlog", "Bytes of the sealed segments waiting for delivery", Unit.BYTES,
                status -> status.delivery().backlog().bytes());
        GaugeWithCallback.builder().name("s3logger_spool_backlog_oldest_age").unit(Unit.SECONDS)
                .help("Age of the oldest segment waiting for delivery; 0 when none is waiting")
                .callback(callback -> callback.call(pipeline.status().delivery().backlog().oldestWaiting()
                        .map(oldest -> Duration.between(oldest, clock.instant()).toMillis() / 1000.0)
                        .orElse(0.0)))
                .register(registry);
    }

    /** Registers metrics of one value each, read from the pipeline's status at every scrape. */
    private record Metrics(PrometheusRegistry registry, PipelineStatusQuery pipeline) {

        void counter(String name, String help, ToLongFunction<PipelineStatus> value) {
            CounterWithCallback.builder().name(name).help(help)
                    .callback(callback -> callback.call(value.applyAsLong(pipeline.status()))).register(registry);
        }

        void counter(String name, String help, Unit unit, ToLongFunction<PipelineStatus> value) {
            CounterWithCallback.builder().name(name).unit(unit).help(help)
                    .callback(callback -> callback.call(value.applyAsLong(pipeline.status()))).register(registry);
        }

        void gauge(String name, String help, ToLongFunction<PipelineStatus> value) {
            GaugeWithCallback.builder().name(name).help(help)
                    .callback(callback -> callback.call(value.applyAsLong(pipeline.status()))).register(registry);
        }

        void gauge(String name, String help, Unit unit, ToLongFunction<PipelineStatus> value) {
            GaugeWithCallback.builder().name(name).unit(unit).help(help)
                    .callback(callback -> callback.call(value.applyAsLong(pipeline.status()))).register(registry);
        }
    }
}
