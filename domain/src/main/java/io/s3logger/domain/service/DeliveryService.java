package io.s3logger.domain.service;

import io.s3logger.domain.model.ObjectKey;
import io.s3logger.domain.model.SealedSegment;
import io.s3logger.domain.port.out.ObjectStore;
import io.s3logger.domain.port.out.ObjectStoreException;
import io.s3logger.domain.port.out.SegmentSpool;
import io.s3logger.domain.text.Plural;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.System.Logger;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
 * <p>{@link #deliverNext()} is one step of the work, driven directly by tests with a fake clock;
 * {@link #start()} runs that step on {@code concurrency} threads.
 */
public final class DeliveryService implements AutoCloseable {

    private static final Logger LOG = System.getLogger(DeliveryService.class.getName());

    private final ObjectStore store;
    private final SegmentSpool spool;
    private final ObjectNaming naming;
    private final Backoff backoff;
    private final Duration alertAfter;
    private final InstantSource clock;
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
    private final AtomicLong backlogObjects = new AtomicLong();
    private volatile Instant lastDeliveryAt;
    private volatile Instant lastFailureAt;

    /** Retry state of one segment; {@code NONE} for one that has not failed yet. */
    private record Retry(int failures, Instant notBefore, Instant failingSince) {
        static final Retry NONE = new Retry(0, Instant.MIN, null);
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
            Backoff backoff,
            Duration alertAfter,
            InstantSource clock,
            RandomGenerator random,
            int concurrency,
            Consumer<Delivery> delivered) {
        this.store = Objects.requireNonNull(store, "store");
        this.spool = Objects.requireNonNull(spool, "spool");
        this.naming = Objects.requireNonNull(naming, "naming");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.alertAfter = Objects.requireNonNull(alertAfter, "alertAfter");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.delivered = Objects.requireNonNull(delivered, "delivered");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1: " + concurrency);
        }
        for (int i = 1; i <= concurrency; i++) {
            workers.add(Thread.ofPlatform().name("uploader-" + i).unstarted(this::work));
        }
    }

    /** Queues a sealed segment for delivery. Thread-safe. */
    public void submit(SealedSegment segment) {
        lock.lock();
        try {
            if (waiting.putIfAbsent(segment, Retry.NONE) == null) {
                backlogBytes.addAndGet(segment.sizeBytes());
                backlogObjects.addAndGet(knownObjects(segment));
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
            segment = oldestReady(clock.instant());
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

    /** When the earliest waiting segment may be attempted, or {@code null} if none is waiting. */
    Instant nextAttemptAt() {
        lock.lock();
        try {
            return earliestRetry();
        } finally {
            lock.unlock();
        }
    }

    /** Bytes on disk of the segments not yet delivered. */
    public long backlogBytes() {
        return backlogBytes.get();
    }

    /** Objects in the segments not yet delivered, counting only segments whose count is known (not those found at start). */
    public long backlogObjects() {
        return backlogObjects.get();
    }

    private static long knownObjects(SealedSegment segment) {
        return segment.objects() == SealedSegment.UNKNOWN_OBJECTS ? 0 : segment.objects();
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

    /** When the store last confirmed a delivery, if ever in this run. */
    public Optional<Instant> lastDeliveryAt() {
        return Optional.ofNullable(lastDeliveryAt);
    }

    /** When a delivery attempt last failed, if ever in this run. */
    public Optional<Instant> lastFailureAt() {
        return Optional.ofNullable(lastFailureAt);
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
     * workers. Segments not delivered stay in the spool for the next start.
     *
     * @return {@code true} if everything was delivered
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (waiting.size() + inFlight > 0) {
                long left = deadline - System.nanoTime();
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

    /** Stops the workers at once; an upload in progress is interrupted and its segment stays in the spool. */
    @Override
    public void close() throws InterruptedException {
        lock.lock();
        try {
            stopping = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (Thread worker : workers) {
            if (worker.isAlive()) {
                worker.interrupt();
                worker.join();
            }
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
                Instant now = clock.instant();
                if (oldestReady(now) != null) {
                    return true;
                }
                Instant wakeUp = earliestRetry();
                if (wakeUp == null) {
                    changed.await();
                } else {
                    changed.awaitNanos(Math.max(1, Duration.between(now, wakeUp).toNanos()));
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

    private SealedSegment oldestReady(Instant now) {
        for (var entry : waiting.entrySet()) {
            if (!entry.getValue().notBefore().isAfter(now)) {
                return entry.getKey();
            }
        }
        return null;
    }

    private Instant earliestRetry() {
        return waiting.values().stream().map(Retry::notBefore).min(Instant::compareTo).orElse(null);
    }

    /** @return the retry state if the segment must be tried again, {@code null} when delivered */
    private Retry attempt(SealedSegment segment, Retry retry) {
        ObjectKey key = naming.keyFor(segment.id());
        Instant started = clock.instant();
        try {
            store.put(key, segment.file(), segment.stats());
        } catch (ObjectStoreException e) {
            return failed(segment, key, retry, started, e);
        }
        Instant confirmed = clock.instant();
        lastDeliveryAt = confirmed;
        long millis = Duration.between(started, confirmed).toMillis();
        deliveredSegments.incrementAndGet();
        deliveredBytes.addAndGet(segment.sizeBytes());
        backlogBytes.addAndGet(-segment.sizeBytes());
        backlogObjects.addAndGet(-knownObjects(segment));
        if (segment.objects() != SealedSegment.UNKNOWN_OBJECTS) {
            deliveredObjects.addAndGet(segment.objects());
        }
        LOG.log(Level.INFO, () -> "Delivered " + key + ": " + Plural.of(segment.sizeBytes(), "byte", "bytes") + " in " + millis + " ms");
        delivered.accept(new Delivery(segment, key, Duration.between(started, confirmed), confirmed));
        try {
            spool.delete(segment);
        } catch (IOException e) {
            LOG.log(Level.WARNING, () -> "Delivered " + key + " but cannot delete " + segment.file()
                    + "; it will be delivered again after a restart: " + e);
        }
        return null;
    }

    private Retry failed(SealedSegment segment, ObjectKey key, Retry retry, Instant started, ObjectStoreException e) {
        failedAttempts.incrementAndGet();
        lastFailureAt = clock.instant();
        Instant failingSince = retry.failingSince() == null ? started : retry.failingSince();
        int failures = retry.failures() + 1;
        Duration delay = backoff.delayAfter(failures, random);
        Duration failingFor = Duration.between(failingSince, clock.instant());
        Level level = failingFor.compareTo(alertAfter) > 0 ? Level.ERROR : Level.WARNING;
        LOG.log(level, () -> "Delivery of " + key + " failed (attempt " + failures + ", failing for "
                + failingFor.toSeconds() + " s); retrying in " + delay.toMillis() + " ms; the file stays in the spool: "
                + e.getMessage());
        return new Retry(failures, clock.instant().plus(delay), failingSince);
    }
}
