package io.s3logger.bootstrap;

import io.s3logger.domain.model.status.DeliveryStatus;
import io.s3logger.domain.model.status.IngestStatus;
import io.s3logger.domain.model.status.ListenerStatus;
import io.s3logger.domain.model.status.PipelineStatus;
import io.s3logger.domain.port.in.PipelineStatusQuery;
import io.s3logger.domain.port.out.MonotonicClock;
import io.s3logger.domain.text.Plural;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one status line at a fixed interval, so that a process running for months shows its
 * progress: objects and bytes in since the last line and their rate, open connections, the
 * delivery backlog with the age of its oldest segment, the last delivery, and any pause.
 */
final class StatusReporter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatusReporter.class);

    /**
     * What the status line is computed from, taken at one moment.
     *
     * @param atNanos the monotonic clock's reading, for the period between two lines
     * @param wallAt the wall clock's time, for the age of the oldest segment (named by its wall-clock creation time)
     * @param sinceLastDelivery time since the last confirmed delivery (monotonic), if any
     */
    record Sample(long atNanos, Instant wallAt, long objectsReceived, long bytesReceived, long connectionsOpen,
            int backlogSegments, long backlogBytes, Optional<Instant> oldestUndelivered, Optional<Duration> sinceLastDelivery,
            IngestStatus.Pause pause) {}

    private final Optional<Duration> interval;
    private final PipelineStatusQuery pipeline;
    private final InstantSource clock;
    private final MonotonicClock monotonic;
    private final ScheduledExecutorService timer;
    /** Only touched by the timer thread (and once before it starts). */
    private Sample previous;

    StatusReporter(Optional<Duration> interval, PipelineStatusQuery pipeline, InstantSource clock, MonotonicClock monotonic) {
        this.interval = interval;
        this.pipeline = pipeline;
        this.clock = clock;
        this.monotonic = monotonic;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("status").daemon().factory());
    }

    void start() {
        if (interval.isEmpty()) {
            return;
        }
        previous = sample();
        long nanos = interval.get().toNanos();
        timer.scheduleAtFixedRate(this::report, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    private void report() {
        Sample now = sample();
        LOG.info(line(previous, now));
        previous = now;
    }

    private Sample sample() {
        PipelineStatus status = pipeline.status();
        ListenerStatus listener = status.listener();
        DeliveryStatus delivery = status.delivery();
        OptionalLong lastDelivery = delivery.lastDeliveryNanos();
        return new Sample(monotonic.nanoTime(), clock.instant(), listener.objectsAccepted(), listener.bytesReceived(),
                listener.connectionsOpened() - listener.closes().total(), delivery.backlog().segments(),
                delivery.backlog().bytes(), delivery.backlog().oldestWaiting(),
                lastDelivery.isEmpty() ? Optional.empty() : Optional.of(monotonic.since(lastDelivery.getAsLong())),
                status.ingest().pause());
    }

    /** The status line for the period from {@code before} to {@code now}. */
    static String line(Sample before, Sample now) {
        Duration period = Duration.ofNanos(now.atNanos() - before.atNanos());
        long objects = now.objectsReceived() - before.objectsReceived();
        long bytes = now.bytesReceived() - before.bytesReceived();
        double seconds = Math.max(period.toMillis(), 1) / 1000.0;
        StringBuilder line = new StringBuilder("Status: ")
                .append(Plural.of(objects, "object", "objects")).append(" (").append(bytes(bytes)).append(") in ").append(GoDuration.format(Duration.ofSeconds(Math.round(period.toMillis() / 1000.0))))
                .append(String.format(Locale.ROOT, ", %.1f objects/s, %s/s", objects / seconds, bytes((long) (bytes / seconds))))
                .append("; ").append(Plural.of(now.connectionsOpen(), "connection", "connections")).append(" open")
                .append("; backlog ").append(Plural.of(now.backlogSegments(), "segment", "segments")).append(" (").append(bytes(now.backlogBytes())).append(')');
        now.oldestUndelivered().ifPresent(oldest -> line.append(", oldest ").append(age(Duration.between(oldest, now.wallAt()))));
        line.append("; last delivery ").append(now.sinceLastDelivery().map(since -> age(since) + " ago").orElse("none yet"));
        if (now.pause() != IngestStatus.Pause.NONE) {
            line.append("; INGESTION PAUSED: ").append(now.pause().name().toLowerCase(Locale.ROOT));
        }
        return line.toString();
    }

    private static String age(Duration age) {
        return GoDuration.format(age.isNegative() ? Duration.ZERO : age.withNanos(0));
    }

    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
