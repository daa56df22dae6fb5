package io.s3logger.domain.service;

import io.s3logger.domain.model.ObjectKey;
import io.s3logger.domain.model.SealedSegment;
import io.s3logger.domain.model.status.DeliveryStatus;
import io.s3logger.domain.port.out.MonotonicClock;
import io.s3logger.domain.port.out.ObjectStore;
import io.s3logger.domain.port.out.ObjectStoreException;
import io.s3logger.domain.port.out.SegmentSpool;
import io.s3logger.domain.service.DeliveryQueue.Pending;
import io.s3logger.domain.text.Plural;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The shipping use case: takes sealed segments from the {@link DeliveryQueue}, oldest first,
 * delivers them to the object store, and deletes each local file only after the store has
 * confirmed it. A failed delivery is retried with {@link Backoff} for as long as the program runs;
 * a segment waiting for its retry does not hold back the others, so one unreadable file cannot
 * stop the whole spool from draining.
 *
 * <p>Retry delays and failure durations are timed with the monotonic clock; the wall clock only
 * stamps confirmed deliveries.
 *
 * <p>{@link #deliverNext()} is one step of the work, driven directly by tests with a fake clock;
 * {@link #start()} runs the same work on {@code concurrency} threads, each waiting in {@link
 * DeliveryQueue#take()} for the next segment.
 */
public final class DeliveryService implements AutoCloseable {

    private static final Logger LOG = System.getLogger(DeliveryService.class.getName());

    private final DeliveryQueue queue;
    private final ObjectStore store;
    private final SegmentSpool spool;
    private final ObjectNaming naming;
    private final RetryTiming timing;
    private final Duration alertAfter;
    private final InstantSource wallClock;
    private final MonotonicClock monotonic;
    private final RandomGenerator random;
    private final Consumer<Delivery> delivered;
    private final List<Thread> workers = new ArrayList<>();
    /** Set by {@link #close()} before it interrupts the workers, for a worker whose upload swallowed the interrupt. */
    private volatile boolean stopping;

    private final AtomicLong deliveredSegments = new AtomicLong();
    private final AtomicLong deliveredBytes = new AtomicLong();
    private final AtomicLong deliveredObjects = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    /** Monotonic readings of the last confirmed delivery and the last failed attempt; {@code null} before the first. */
    private volatile Long lastDeliveryNanos;
    private volatile Long lastFailureNanos;

    /**
     * @param queue where the writer puts the sealed segments
     * @param alertAfter a segment failing for longer than this is logged at ERROR instead of WARN
     * @param concurrency number of deliveries at once
     * @param delivered told of every confirmed delivery (metrics); called on an uploader thread
     */
    public DeliveryService(
            DeliveryQueue queue,
            ObjectStore store,
            SegmentSpool spool,
            ObjectNaming naming,
            RetryTiming timing,
            Duration alertAfter,
            InstantSource wallClock,
            MonotonicClock monotonic,
            RandomGenerator random,
            int concurrency,
            Consumer<Delivery> delivered) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.store = Objects.requireNonNull(store, "store");
        this.spool = Objects.requireNonNull(spool, "spool");
        this.naming = Objects.requireNonNull(naming, "naming");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.alertAfter = Objects.requireNonNull(alertAfter, "alertAfter");
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
        this.monotonic = Objects.requireNonNull(monotonic, "monotonic");
        this.random = Objects.requireNonNull(random, "random");
        this.delivered = Objects.requireNonNull(delivered, "delivered");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1: " + concurrency);
        }
        for (int i = 1; i <= concurrency; i++) {
            // Daemons: an upload stuck in a store that ignores interrupts must not keep the JVM alive.
            workers.add(Thread.ofPlatform().name("uploader-" + i).daemon().unstarted(this::work));
        }
    }

    public void start() {
        workers.forEach(Thread::start);
    }

    /**
     * Attempts the oldest segment that is not waiting for a retry.
     *
     * @return {@code false} if no segment was ready
     */
    public boolean deliverNext() {
        Optional<Pending> next = queue.poll();
        next.ifPresent(this::attempt);
        return next.isPresent();
    }

    /** The backlog and the totals now; safe to call from any thread. */
    public DeliveryStatus status() {
        return new DeliveryStatus(queue.backlog(), deliveredSegments.get(), deliveredBytes.get(), deliveredObjects.get(),
                failedAttempts.get(), reading(lastDeliveryNanos), reading(lastFailureNanos));
    }

    private static OptionalLong reading(Long nanos) {
        return nanos == null ? OptionalLong.empty() : OptionalLong.of(nanos);
    }

    /**
     * Keeps delivering until the backlog is empty or {@code timeout} has passed, then stops the
     * workers ({@link #close()}): returns within {@code timeout} plus {@link
     * RetryTiming#stopGrace()}. Segments not delivered stay in the spool for the next start.
     *
     * @return {@code true} if everything was delivered
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        queue.awaitEmpty(timeout);
        close();
        return queue.backlog().segments() == 0;
    }

    /**
     * Stops the workers at once: an upload in progress is interrupted and its segment stays in
     * the spool. Waits at most {@link RetryTiming#stopGrace()} for them; an upload that ignores
     * the interrupt (a stalled store) is left behind, on a daemon thread.
     */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        workers.forEach(Thread::interrupt);
        long deadline = monotonic.nanoTime() + timing.stopGrace().toNanos();
        for (Thread worker : workers) {
            long left = deadline - monotonic.nanoTime();
            if (left > 0) {
                worker.join(Duration.ofNanos(left));
            }
        }
        long stuck = workers.stream().filter(Thread::isAlive).count();
        if (stuck > 0) {
            LOG.log(Level.WARNING, () -> stuck + " uploads did not stop within " + timing.stopGrace().toMillis()
                    + " ms of being interrupted; left behind, their segments stay in the spool for the next start");
        }
    }

    private void work() {
        try {
            while (!stopping) {
                attempt(queue.take());
            }
        } catch (InterruptedException e) {
            // close() stops the workers
        }
    }

    /** Delivers a segment taken from the queue and hands it back: delivered, or to be retried. */
    private void attempt(Pending pending) {
        SealedSegment segment = pending.segment();
        ObjectKey key = naming.keyFor(segment.id());
        long started = monotonic.nanoTime();
        try {
            store.put(key, segment.file(), segment.stats());
        } catch (ObjectStoreException e) {
            queue.retry(failed(pending, key, started, e));
            return;
        }
        long confirmed = monotonic.nanoTime();
        lastDeliveryNanos = confirmed;
        Duration uploadTime = Duration.ofNanos(confirmed - started);
        long millis = uploadTime.toMillis();
        deliveredSegments.incrementAndGet();
        deliveredBytes.addAndGet(segment.sizeBytes());
        if (segment.objects() != SealedSegment.UNKNOWN_OBJECTS) {
            deliveredObjects.addAndGet(segment.objects());
        }
        LOG.log(Level.INFO, () -> "Delivered " + key + ": " + Plural.of(segment.sizeBytes(), "byte", "bytes") + " in " + millis + " ms");
        delivered.accept(new Delivery(segment, key, uploadTime, wallClock.instant()));
        try {
            spool.delete(segment);
        } catch (IOException e) {
            LOG.log(Level.WARNING, () -> "Delivered " + key + " but cannot delete " + segment.file()
                    + "; it will be delivered again after a restart: " + e);
        }
        queue.delivered(pending);
    }

    /** Counts and logs a failed attempt; returns the segment with its next retry time. */
    private Pending failed(Pending pending, ObjectKey key, long started, ObjectStoreException e) {
        failedAttempts.incrementAndGet();
        long now = monotonic.nanoTime();
        lastFailureNanos = now;
        Duration delay = timing.upload().delayAfter(pending.failures() + 1, random);
        Pending next = pending.failedAgain(started, now, delay);
        int failures = next.failures();
        Duration failingFor = Duration.ofNanos(now - next.failingSinceNanos());
        Level level = failingFor.compareTo(alertAfter) > 0 ? Level.ERROR : Level.WARNING;
        LOG.log(level, () -> "Delivery of " + key + " failed (attempt " + failures + ", failing for "
                + failingFor.toSeconds() + " s); retrying in " + delay.toMillis() + " ms; the file stays in the spool: "
                + e.getMessage());
        return next;
    }
}
