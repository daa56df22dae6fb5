package io.s3logger.domain.service;

import io.s3logger.domain.model.ObjectKey;
import io.s3logger.domain.model.SealedSegment;
import io.s3logger.domain.port.out.MonotonicClock;
import io.s3logger.domain.port.out.ObjectStore;
import io.s3logger.domain.port.out.ObjectStoreException;
import io.s3logger.domain.port.out.SegmentSpool;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The shipping use case: delivers sealed segments to the object store, oldest first, and deletes
 * each local file only after the store has confirmed it. A failed delivery is retried with
 * {@link Backoff} for as long as the program runs; a segment waiting for its retry does not hold
 * back the others, so one unreadable file cannot stop the whole spool from draining.
 *
 * <p>Retry delays and failure durations are timed with the monotonic clock; the wall clock only
 * stamps confirmed deliveries.
 *
 * <p>{@link #deliverNext()} is one step of the work, driven directly by tests with a fake clock;
 * {@link #start()} runs that step on {@code concurrency} threads.
 */
public final class DeliveryService implements AutoCloseable {

    private static final Logger LOG = System.getLogger(DeliveryService.class.getName());

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

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Waiting segments, oldest first. */
    private final TreeMap<SealedSegment, Retry> waiting = new TreeMap<>();
    private int inFlight;
    private boolean stopping;

    private final AtomicLong deliveredSegments = new AtomicLong();
    private final AtomicLong deliveredBytes = new AtomicLong();
    private final AtomicLong deliveredObjects = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    /** Bytes of the segments waiting or in flight; kept here so reading it needs no lock. */
    private final AtomicLong backlogBytes = new AtomicLong();
    /** Monotonic readings of the last confirmed delivery and the last failed attempt; {@code null} before the first. */
    private volatile Long lastDeliveryNanos;
    private volatile Long lastFailureNanos;

    /**
     * Retry state of one segment: monotonic readings of when it may be tried again and since when
     * it fails; {@code NONE} (no failure) for one that has not failed yet.
     */
    private record Retry(int failures, long notBeforeNanos, long failingSinceNanos) {
        static final Retry NONE = new Retry(0, 0, 0);

        boolean readyAt(long nowNanos) {
            return failures == 0 || nowNanos - notBeforeNanos >= 0;
        }
    }

    /**
     * @param alertAfter a segment failing for longer than this is logged at ERROR instead of WARN
     * @param concurrency number of deliveries at once
     * @param delivered told of every confirmed delivery (metrics); called on an uploader thread
     */
    public DeliveryService(
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

    /** Queues a sealed segment for delivery. Thread-safe. */
    public void submit(SealedSegment segment) {
        lock.lock();
        try {
            if (waiting.putIfAbsent(segment, Retry.NONE) == null) {
                backlogBytes.addAndGet(segment.sizeBytes());
            }
            changed.signalAll();
        } finally {
            lock.unlock();
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
        SealedSegment segment;
        Retry retry;
        lock.lock();
        try {
            segment = oldestReady(monotonic.nanoTime());
            if (segment == null) {
                return false;
            }
            retry = waiting.remove(segment);
            inFlight++;
        } finally {
            lock.unlock();
        }
        Retry next = attempt(segment, retry);
        lock.lock();
        try {
            inFlight--;
            if (next != null) {
                waiting.put(segment, next);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return true;
    }

    /** Segments not yet delivered, including those being uploaded right now. */
    public int backlog() {
        lock.lock();
        try {
            return waiting.size() + inFlight;
        } finally {
            lock.unlock();
        }
    }

    /** How long until the earliest waiting segment may be attempted (zero if now), or empty if none is waiting. */
    Optional<Duration> timeToNextAttempt() {
        lock.lock();
        try {
            OptionalLong earliest = earliestRetry();
            return earliest.isEmpty() ? Optional.empty()
                    : Optional.of(Duration.ofNanos(Math.max(0, earliest.getAsLong() - monotonic.nanoTime())));
        } finally {
            lock.unlock();
        }
    }

    /** Bytes on disk of the segments not yet delivered. */
    public long backlogBytes() {
        return backlogBytes.get();
    }

    /** Creation time of the oldest segment waiting for delivery (not counting uploads in progress), if any. */
    public Optional<Instant> oldestUndelivered() {
        lock.lock();
        try {
            return waiting.isEmpty() ? Optional.empty() : Optional.of(waiting.firstKey().id().createdAt());
        } finally {
            lock.unlock();
        }
    }

    /** Objects in the delivered segments whose count was known (not those found on disk at start). */
    public long deliveredObjects() {
        return deliveredObjects.get();
    }

    /** The monotonic clock's reading when the store last confirmed a delivery, if ever in this run. */
    public OptionalLong lastDeliveryNanos() {
        Long at = lastDeliveryNanos;
        return at == null ? OptionalLong.empty() : OptionalLong.of(at);
    }

    /** The monotonic clock's reading when a delivery attempt last failed, if ever in this run. */
    public OptionalLong lastFailureNanos() {
        Long at = lastFailureNanos;
        return at == null ? OptionalLong.empty() : OptionalLong.of(at);
    }

    public long deliveredSegments() {
        return deliveredSegments.get();
    }

    public long deliveredBytes() {
        return deliveredBytes.get();
    }

    public long failedAttempts() {
        return failedAttempts.get();
    }

    /**
     * Keeps delivering until the backlog is empty or {@code timeout} has passed, then stops the
     * workers ({@link #close()}): returns within {@code timeout} plus {@link
     * RetryTiming#stopGrace()}. Segments not delivered stay in the spool for the next start.
     *
     * @return {@code true} if everything was delivered
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        long deadline = monotonic.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (waiting.size() + inFlight > 0) {
                long left = deadline - monotonic.nanoTime();
                if (left <= 0) {
                    break;
                }
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
        close();
        return backlog() == 0;
    }

    /**
     * Stops the workers at once: an upload in progress is interrupted and its segment stays in
     * the spool. Waits at most {@link RetryTiming#stopGrace()} for them; an upload that ignores
     * the interrupt (a stalled store) is left behind, on a daemon thread.
     */
    @Override
    public void close() throws InterruptedException {
        lock.lock();
        try {
            stopping = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
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
        while (awaitReady()) {
            deliverNext();
        }
    }

    /** Waits until a segment is ready for an attempt; {@code false} once stopping. */
    private boolean awaitReady() {
        lock.lock();
        try {
            while (!stopping) {
                long now = monotonic.nanoTime();
                if (oldestReady(now) != null) {
                    return true;
                }
                OptionalLong wakeUp = earliestRetry();
                if (wakeUp.isEmpty()) {
                    changed.await();
                } else {
                    changed.awaitNanos(Math.max(1, wakeUp.getAsLong() - now));
                }
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    private SealedSegment oldestReady(long nowNanos) {
        for (var entry : waiting.entrySet()) {
            if (entry.getValue().readyAt(nowNanos)) {
                return entry.getKey();
            }
        }
        return null;
    }

    /** The monotonic reading at which the earliest waiting segment may be attempted (a past one if it may now). */
    private OptionalLong earliestRetry() {
        if (waiting.values().stream().anyMatch(retry -> retry.failures() == 0)) {
            return OptionalLong.of(monotonic.nanoTime());
        }
        return waiting.values().stream().mapToLong(Retry::notBeforeNanos)
                .reduce((a, b) -> a - b <= 0 ? a : b);
    }

    /** @return the retry state if the segment must be tried again, {@code null} when delivered */
    private Retry attempt(SealedSegment segment, Retry retry) {
        ObjectKey key = naming.keyFor(segment.id());
        long started = monotonic.nanoTime();
        try {
            store.put(key, segment.file());
        } catch (ObjectStoreException e) {
            return failed(segment, key, retry, started, e);
        }
        long confirmed = monotonic.nanoTime();
        lastDeliveryNanos = confirmed;
        Duration uploadTime = Duration.ofNanos(confirmed - started);
        long millis = uploadTime.toMillis();
        deliveredSegments.incrementAndGet();
        deliveredBytes.addAndGet(segment.sizeBytes());
        backlogBytes.addAndGet(-segment.sizeBytes());
        if (segment.objects() != SealedSegment.UNKNOWN_OBJECTS) {
            deliveredObjects.addAndGet(segment.objects());
        }
        LOG.log(Level.INFO, () -> "Delivered " + key + ": " + segment.sizeBytes() + " bytes in " + millis + " ms");
        delivered.accept(new Delivery(segment, key, uploadTime, wallClock.instant()));
        try {
            spool.delete(segment);
        } catch (IOException e) {
            LOG.log(Level.WARNING, () -> "Delivered " + key + " but cannot delete " + segment.file()
                    + "; it will be delivered again after a restart: " + e);
        }
        return null;
    }

    private Retry failed(SealedSegment segment, ObjectKey key, Retry retry, long started, ObjectStoreException e) {
        failedAttempts.incrementAndGet();
        long now = monotonic.nanoTime();
        lastFailureNanos = now;
        long failingSince = retry.failures() == 0 ? started : retry.failingSinceNanos();
        int failures = retry.failures() + 1;
        Duration delay = timing.upload().delayAfter(failures, random);
        Duration failingFor = Duration.ofNanos(now - failingSince);
        Level level = failingFor.compareTo(alertAfter) > 0 ? Level.ERROR : Level.WARNING;
        LOG.log(level, () -> "Delivery of " + key + " failed (attempt " + failures + ", failing for "
                + failingFor.toSeconds() + " s); retrying in " + delay.toMillis() + " ms; the file stays in the spool: "
                + e.getMessage());
        return new Retry(failures, now + delay.toNanos(), failingSince);
    }
}
