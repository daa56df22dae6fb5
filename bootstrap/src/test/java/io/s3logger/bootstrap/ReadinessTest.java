package io.s3logger.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3logger.domain.model.DeliveryBacklog;
import io.s3logger.domain.model.status.DeliveryStatus;
import io.s3logger.domain.model.status.IngestStatus;
import io.s3logger.domain.model.status.ListenerStatus;
import io.s3logger.domain.model.status.PipelineStatus;
import io.s3logger.domain.model.status.SpoolStatus;
import io.s3logger.domain.model.status.WriterStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readiness reads nothing but the pipeline's status, so a made-up status drives every check. */
class ReadinessTest {

    @TempDir
    Path spool;
    @TempDir
    Path store;

    private final AtomicLong nanos = new AtomicLong(-5_000_000_000L);
    private boolean listening = true;
    private IngestStatus.Pause pause = IngestStatus.Pause.NONE;
    private int backlogSegments;
    private OptionalLong lastDelivery = OptionalLong.empty();
    private OptionalLong lastFailure = OptionalLong.empty();
    private boolean storeCheckRunning;
    private Optional<String> storeCheckFailure = Optional.empty();
    private Readiness readiness;

    @BeforeEach
    void createdNow() throws SettingsException {
        Settings settings = new SettingsLoader(Map.of()).load(CommandLine.parse(List.of("-dir", spool.toString(),
                "-local-store", store.toString(), "-ready-max-backlog", "2", "-store-stale-after", "1m")));
        readiness = new Readiness(settings, this::status, nanos::get);
    }

    private PipelineStatus status() {
        ListenerStatus listener = new ListenerStatus(listening, 0, 0, new ListenerStatus.Closes(0, 0, 0, 0, 0, 0, 0), Map.of(),
                0, 0, 0, 0, 0, 0, new ListenerStatus.ConnectionMemory(0, 25_165_824, 0));
        DeliveryBacklog backlog = new DeliveryBacklog(backlogSegments, backlogSegments * 100L, 0, Optional.empty());
        return new PipelineStatus(listener, new IngestStatus(0, pause, 0, 0), new WriterStatus(0, 0, 0, 0),
                new SpoolStatus("gzip level 1", 0), new DeliveryStatus(backlog, 0, 0, 0, 0, lastDelivery, lastFailure),
                storeCheckRunning, storeCheckFailure);
    }

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    @Test
    void aFreshInstanceWithAWritableSpoolIsReady() {
        Readiness.Report report = readiness.evaluate();

        assertThat(report.checks()).containsExactly(Map.entry("listener", "ok"), Map.entry("spool", "ok"),
                Map.entry("store", "ok"), Map.entry("backlog", "ok"));
        assertThat(report.ready()).isTrue();
    }

    @Test
    void aListenerNotBoundIsNotReady() {
        listening = false;

        assertThat(readiness.evaluate().checks()).containsEntry("listener", "not listening");
        assertThat(readiness.evaluate().ready()).isFalse();
    }

    @Test
    void aPauseSaysItsCause() {
        pause = IngestStatus.Pause.SPOOL_FULL;
        assertThat(readiness.evaluate().checks())
                .containsEntry("spool", "the spool " + spool + " holds more than its cap; ingestion paused");

        pause = IngestStatus.Pause.SPOOL_WRITE_FAILING;
        assertThat(readiness.evaluate().checks())
                .containsEntry("spool", "writing to the spool " + spool + " fails; ingestion paused");
    }

    @Test
    void aStartUpCheckStillWaitingForTheStoreIsNotReady() {
        storeCheckRunning = true;

        assertThat(readiness.evaluate().checks())
                .containsEntry("store", "the start-up check has not had an answer from the store yet");
        assertThat(readiness.evaluate().ready()).isFalse();
    }

    @Test
    void aFailedStartUpCheckCountsUntilAnUploadSucceeds() {
        storeCheckFailure = Optional.of("no such bucket");
        assertThat(readiness.evaluate().checks()).containsEntry("store",
                "the start-up check failed and no upload has succeeded since: no such bucket");

        advance(Duration.ofSeconds(1));
        lastDelivery = OptionalLong.of(nanos.get());
        assertThat(readiness.evaluate().checks()).containsEntry("store", "ok");
    }

    @Test
    void uploadsFailingForLongerThanTheLimitMakeTheStoreStale() {
        advance(Duration.ofSeconds(10));
        lastFailure = OptionalLong.of(nanos.get());
        advance(Duration.ofSeconds(50));
        assertThat(readiness.evaluate().checks()).as("failing for 1m0s, not more").containsEntry("store", "ok");

        advance(Duration.ofSeconds(1));
        assertThat(readiness.evaluate().checks())
                .containsEntry("store", "uploads failing with no success for 1m1s (more than 1m0s)");

        lastDelivery = OptionalLong.of(nanos.get());
        assertThat(readiness.evaluate().checks()).as("a success after the failure").containsEntry("store", "ok");
    }

    @Test
    void aBacklogAboveTheLimitIsNotReady() {
        backlogSegments = 2;
        assertThat(readiness.evaluate().checks()).containsEntry("backlog", "ok");

        backlogSegments = 3;
        assertThat(readiness.evaluate().checks()).containsEntry("backlog", "3 segments wait for upload (more than 2)");
    }
}
