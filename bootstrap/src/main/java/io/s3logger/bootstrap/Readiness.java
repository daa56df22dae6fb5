package io.s3logger.bootstrap;

import io.s3logger.domain.model.status.DeliveryStatus;
import io.s3logger.domain.model.status.PipelineStatus;
import io.s3logger.domain.port.in.PipelineStatusQuery;
import io.s3logger.domain.port.out.MonotonicClock;
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
    private final PipelineStatusQuery pipeline;
    private final MonotonicClock clock;
    /** Counts as the last success until there is one: a store that has not been tried is not stale. */
    private final long createdAt;

    Readiness(Settings settings, PipelineStatusQuery pipeline, MonotonicClock clock) {
        this.settings = settings.monitoring();
        this.spoolDir = settings.spool().dir();
        this.pipeline = pipeline;
        this.clock = clock;
        this.createdAt = clock.nanoTime();
    }

    Report evaluate() {
        PipelineStatus status = pipeline.status();
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("listener", status.listener().listening() ? Report.OK : "not listening");
        checks.put("spool", spool(status));
        checks.put("store", store(status));
        checks.put("backlog", backlog(status.delivery()));
        return new Report(checks);
    }

    private String spool(PipelineStatus status) {
        return switch (status.ingest().pause()) {
            case SPOOL_WRITE_FAILING -> "writing to the spool " + spoolDir + " fails; ingestion paused";
            case SPOOL_FULL -> "the spool " + spoolDir + " holds more than its cap; ingestion paused";
            case NONE -> Files.isWritable(spoolDir) ? Report.OK : "the spool " + spoolDir + " is not writable";
        };
    }

    private String store(PipelineStatus status) {
        OptionalLong lastDelivery = status.delivery().lastDeliveryNanos();
        boolean deliveredSinceStart = lastDelivery.isPresent() && lastDelivery.getAsLong() - createdAt > 0;
        if (status.storeCheckRunning()) {
            return "the start-up check has not had an answer from the store yet";
        }
        Optional<String> startupFailure = status.storeCheckFailure();
        if (!deliveredSinceStart && startupFailure.isPresent()) {
            return "the start-up check failed and no upload has succeeded since: " + startupFailure.get();
        }
        OptionalLong lastFailure = status.delivery().lastFailureNanos();
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

    private String backlog(DeliveryStatus delivery) {
        int backlog = delivery.backlog().segments();
        int max = settings.readyMaxBacklogSegments();
        if (max == 0 || backlog <= max) {
            return Report.OK;
        }
        return Plural.of(backlog, "segment waits", "segments wait") + " for upload (more than " + max + ")";
    }
}
