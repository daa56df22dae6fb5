package io.s3logger.domain.service;

import io.s3logger.domain.model.DeliveryBacklog;
import io.s3logger.domain.model.SealedSegment;
import io.s3logger.domain.port.out.MonotonicClock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hand-off from the segment writer to delivery: sealed segments waiting for the object store,
 * oldest first (by creation time, in {@link io.s3logger.domain.model.SegmentId} order). The writer
 * and the start-up recovery {@link #put} segments; the uploaders {@link #take} the oldest one that
 * is not waiting for a retry, and hand it back as {@link #delivered} or, after a failure, for a
 * {@link #retry} at a later time, so that one segment waiting for its retry does not hold back the
 * newer ones.
 *
 * <p>A segment counts in the {@link #backlog()} from its put until it is handed back as delivered
 * (so also while it is being uploaded); that backlog is what the spool cap reads. Times are
 * readings of the monotonic clock. Thread-safe.
 */
public final class DeliveryQueue {

    /**
     * A segment in the queue, or taken from it for an attempt, with what its failed attempts left.
     *
     * @param failures consecutive failed attempts; 0 for a segment not tried yet
     * @param notBeforeNanos after a failure: the monotonic reading before which it is not tried again
     * @param failingSinceNanos after a failure: the monotonic reading at which its first failed attempt started
     */
    public record Pending(SealedSegment segment, int failures, long notBeforeNanos, long failingSinceNanos) {

        public Pending {
            Objects.requireNonNull(segment, "segment");
        }

        static Pending untried(SealedSegment segment) {
            return new Pending(segment, 0, 0, 0);
        }

        /**
         * This segment after one more failed attempt, which started at {@code startedNanos}:
         * tried again {@code delay} after {@code nowNanos}.
         */
        public Pending failedAgain(long startedNanos, long nowNanos, Duration delay) {
            return new Pending(segment, failures + 1, nowNanos + delay.toNanos(),
                    failures == 0 ? startedNanos : failingSinceNanos);
        }

        boolean readyAt(long nowNanos) {
            return failures == 0 || nowNanos - notBeforeNanos >= 0;
        }
    }

    private final MonotonicClock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Segments not taken, oldest first. */
    private final TreeMap<SealedSegment, Pending> waiting = new TreeMap<>();
    private int taken;
    private long bytes;
    private long objects;
    /** Replaced under the lock at every change, so that reading it needs none (the writer reads it per batch). */
    private volatile DeliveryBacklog backlog = DeliveryBacklog.EMPTY;

    public DeliveryQueue(MonotonicClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Queues a sealed segment for delivery; a segment already waiting is not queued twice. */
    public void put(SealedSegment segment) {
        lock.lock();
        try {
            if (waiting.putIfAbsent(segment, Pending.untried(segment)) == null) {
                bytes += segment.sizeBytes();
                objects += knownObjects(segment);
            }
            changed();
        } finally {
            lock.unlock();
        }
    }

    /** Takes the oldest segment that may be tried now, if any, without waiting. */
    public Optional<Pending> poll() {
        lock.lock();
        try {
            return Optional.ofNullable(oldestReady(clock.nanoTime())).map(this::takeLocked);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until a segment may be tried (one is put, or a retry time comes) and takes the oldest
     * such segment.
     *
     * @throws InterruptedException when the waiting thread is interrupted (delivery stops)
     */
    public Pending take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (true) {
                long now = clock.nanoTime();
                Pending ready = oldestReady(now);
                if (ready != null) {
                    return takeLocked(ready);
                }
                OptionalLong wakeUp = earliestRetry(now);
                if (wakeUp.isEmpty()) {
                    changed.await();
                } else {
                    changed.awaitNanos(Math.max(1, wakeUp.getAsLong() - now));
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Hands back a taken segment that the store has confirmed and the spool deleted: it leaves the backlog. */
    public void delivered(Pending done) {
        lock.lock();
        try {
            taken--;
            bytes -= done.segment().sizeBytes();
            objects -= knownObjects(done.segment());
            changed();
        } finally {
            lock.unlock();
        }
    }

    /** Hands back a taken segment whose attempt failed, to be tried again at {@code next.notBeforeNanos()}. */
    public void retry(Pending next) {
        lock.lock();
        try {
            taken--;
            waiting.put(next.segment(), next);
            changed();
        } finally {
            lock.unlock();
        }
    }

    /** The backlog now, as one snapshot. Needs no lock. */
    public DeliveryBacklog backlog() {
        return backlog;
    }

    /** How long until the earliest waiting segment may be tried (zero if now), or empty if none is waiting. */
    public Optional<Duration> timeToNextAttempt() {
        lock.lock();
        try {
            long now = clock.nanoTime();
            OptionalLong earliest = earliestRetry(now);
            return earliest.isEmpty() ? Optional.empty()
                    : Optional.of(Duration.ofNanos(Math.max(0, earliest.getAsLong() - now)));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the backlog is empty (everything put has been handed back as delivered), or
     * until {@code timeout} has passed on the monotonic clock.
     *
     * @return {@code true} if the backlog is empty
     */
    public boolean awaitEmpty(Duration timeout) throws InterruptedException {
        long deadline = clock.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (waiting.size() + taken > 0) {
                long left = deadline - clock.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private static long knownObjects(SealedSegment segment) {
        return segment.objects() == SealedSegment.UNKNOWN_OBJECTS ? 0 : segment.objects();
    }

    private Pending takeLocked(Pending pending) {
        waiting.remove(pending.segment());
        taken++;
        changed();
        return pending;
    }

    private Pending oldestReady(long nowNanos) {
        for (Pending pending : waiting.values()) {
            if (pending.readyAt(nowNanos)) {
                return pending;
            }
        }
        return null;
    }

    /** The monotonic reading at which the earliest waiting segment may be tried ({@code nowNanos} if one may now). */
    private OptionalLong earliestRetry(long nowNanos) {
        if (waiting.values().stream().anyMatch(pending -> pending.failures() == 0)) {
            return OptionalLong.of(nowNanos);
        }
        return waiting.values().stream().mapToLong(Pending::notBeforeNanos)
                .reduce((a, b) -> a - b <= 0 ? a : b);
    }

    /** Publishes the new backlog and wakes the waiting uploaders and drains; called with the lock held. */
    private void changed() {
        backlog = new DeliveryBacklog(waiting.size() + taken, bytes, objects,
                waiting.isEmpty() ? Optional.empty() : Optional.of(waiting.firstKey().id().createdAt()));
        changed.signalAll();
    }
}
