package io.s3logger.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3logger.domain.model.status.IngestStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusReporterTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /** The monotonic clock's reading at T0: unrelated to the wall clock. */
    private static final long NANOS = -42_000_000_000L;

    @Test
    void theLineGivesTheRateSinceTheLastLineTheBacklogAndTheLastDelivery() {
        StatusReporter.Sample before = new StatusReporter.Sample(NANOS, T0, 1_000, 100_000, 2, 0, 0,
                Optional.empty(), Optional.empty(), IngestStatus.Pause.NONE);
        StatusReporter.Sample now = new StatusReporter.Sample(NANOS + Duration.ofSeconds(60).toNanos(), T0.plusSeconds(60),
                7_000, 100_000 + 3 * 1024 * 1024, 3, 2, 5 * 1024 * 1024, Optional.of(T0.minusSeconds(90)),
                Optional.of(Duration.ofSeconds(20)), IngestStatus.Pause.NONE);

        assertThat(StatusReporter.line(before, now)).isEqualTo("Status: 6000 objects (3.0 MiB) in 1m0s, 100.0 objects/s,"
                + " 51.2 KiB/s; 3 connections open; backlog 2 segments (5.0 MiB), oldest 2m30s; last delivery 20s ago");
    }

    @Test
    void anIdleStartAndAPauseAreSaid() {
        StatusReporter.Sample before = new StatusReporter.Sample(NANOS, T0, 0, 0, 0, 0, 0,
                Optional.empty(), Optional.empty(), IngestStatus.Pause.NONE);
        StatusReporter.Sample now = new StatusReporter.Sample(NANOS + Duration.ofSeconds(30).toNanos(), T0.plusSeconds(30),
                0, 0, 0, 0, 0, Optional.empty(), Optional.empty(), IngestStatus.Pause.SPOOL_FULL);

        assertThat(StatusReporter.line(before, now)).isEqualTo("Status: 0 objects (0 B) in 30s, 0.0 objects/s, 0 B/s;"
                + " 0 connections open; backlog 0 segments (0 B); last delivery none yet; INGESTION PAUSED: spool_full");
    }

    @Test
    void oneOfAThingIsSingular() {
        StatusReporter.Sample before = new StatusReporter.Sample(NANOS, T0, 0, 0, 0, 0, 0,
                Optional.empty(), Optional.empty(), IngestStatus.Pause.NONE);
        StatusReporter.Sample now = new StatusReporter.Sample(NANOS + Duration.ofSeconds(1).toNanos(), T0.plusSeconds(1),
                1, 20, 1, 1, 20, Optional.of(T0), Optional.empty(), IngestStatus.Pause.NONE);

        assertThat(StatusReporter.line(before, now)).isEqualTo("Status: 1 object (20 B) in 1s, 1.0 objects/s, 20 B/s;"
                + " 1 connection open; backlog 1 segment (20 B), oldest 1s; last delivery none yet");
    }
}
