package io.s3logger.bootstrap;

import io.s3logger.adapter.tcp.TcpIngestServer;
import io.s3logger.domain.port.out.MonotonicClock;
import io.s3logger.domain.service.StoreStartupCheck;
import io.s3logger.domain.service.DeliveryService;
import io.s3logger.domain.service.IngestService;
import io.s3logger.domain.text.Plural;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Whether this instance should get traffic: the listener is up, the spool takes writes, the
 * object store has not been failing for longer than {@code store-stale-after}, and the delivery
 * backlog is within {@code ready-max-backlog}. A load balancer that follows it moves clients away
 * from an instance that is falling behind; nothing is lost either way, since data waits in the
 * spool.
 */
final class Readiness {

    /** One evaluation: each check's name and either "ok" or why not. */
    record Report(Map<String, String> checks) {
        static final String OK = "ok";

        Report {
            checks = Collections.unmodifiableMap(new LinkedHashMap<>(checks));
        }

        boolean ready() {
            return checks.values().stream().allMatch(OK::equals);
        }
    }

    private final Settings.MonitoringSettings settings;
    private final Path spoolDir;
    private final TcpIngestServer server;
    private final IngestService ingest;
    private final DeliveryService delivery;
    private final StoreStartupCheck storeCheck;
    private final MonotonicClock clock;
    /** Counts as the last success until there is one: a store that has not been tried is not stale. */
    private final long createdAt;

    Readiness(Settings settings, TcpIngestServer server, IngestService ingest, DeliveryService delivery,
            StoreStartupCheck storeCheck, MonotonicClock clock) {
        this.settings = settings.monitoring();
        this.spoolDir = settings.spool().dir();
        this.server = server;
        this.ingest = ingest;
        this.delivery = delivery;
        this.storeCheck = storeCheck;
        this.clock = clock;
        this.createdAt = clock.nanoTime();
    }

    Report evaluate() {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("listener", listener());
        checks.put("spool", spool());
        checks.put("store", store());
        checks.put("backlog", backlog());
        return new Report(checks);
    }

    private String listener() {
        try {
            server.boundAddress();
            return Report.OK;
        } catch (IllegalStateException e) {
            return "not listening";
        }
    }

    private String spool() {
        return switch (ingest.status().pause()) {
            case SPOOL_WRITE_FAILING -> "writing to the spool " + spoolDir + " fails; ingestion paused";
            case SPOOL_FULL -> "the spool " + spoolDir + " holds more than its cap; ingestion paused";
            case NONE -> Files.isWritable(spoolDir) ? Report.OK : "the spool " + spoolDir + " is not writable";
        };
    }

    private String store() {
        OptionalLong lastDelivery = delivery.status().lastDeliveryNanos();
        boolean deliveredSinceStart = lastDelivery.isPresent() && lastDelivery.getAsLong() - createdAt > 0;
        Optional<String> startupFailure = storeCheck.failure();
        if (!deliveredSinceStart && startupFailure.isPresent()) {
            return "the start-up check failed and no upload has succeeded since: " + startupFailure.get();
        }
        OptionalLong lastFailure = delivery.status().lastFailureNanos();
        long lastSuccess = deliveredSinceStart ? lastDelivery.getAsLong() : createdAt;
        if (lastFailure.isEmpty() || lastFailure.getAsLong() - lastSuccess < 0) {
            return Report.OK;
        }
        Duration failing = clock.since(lastSuccess);
        if (failing.compareTo(settings.storeStaleAfter()) <= 0) {
            return Report.OK;
        }
        return "uploads failing with no success for " + GoDuration.format(failing.withNanos(0))
                + " (more than " + GoDuration.format(settings.storeStaleAfter()) + ")";
    }

    private String backlog() {
        int backlog = delivery.status().backlog().segments();
        int max = settings.readyMaxBacklogSegments();
        if (max == 0 || backlog <= max) {
            return Report.OK;
        }
        return Plural.of(backlog, "segment waits", "segments wait") + " for upload (more than " + max + ")";
    }
}
