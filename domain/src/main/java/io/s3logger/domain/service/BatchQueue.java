package io.s3logger.domain.service;

import io.s3logger.domain.model.LineBatch;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hand-off between connections and the single writer, bounded by bytes (not by count, so
 * that a few large batches cannot hold unbounded memory). A producer blocks while the queue is
 * full, which stops its connection from being read and lets TCP flow control slow the client.
 * One batch larger than the capacity is still taken when the queue is empty, so no batch can
 * wait forever.
 */
final class BatchQueue {

    private final long capacityBytes;
    private final ArrayDeque<LineBatch> batches = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition notEmpty = lock.newCondition();
    private long queuedBytes;
    private boolean closed;

    BatchQueue(long capacityBytes) {
        if (capacityBytes <= 0) {
            throw new IllegalArgumentException("capacityBytes must be positive: " + capacityBytes);
        }
        this.capacityBytes = capacityBytes;
    }

    /**
     * Waits for room, then enqueues.
     *
     * @throws IllegalStateException if the queue has been closed (the batch is not taken)
     */
    void put(LineBatch batch) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!closed && !batches.isEmpty() && queuedBytes + batch.length() > capacityBytes) {
                notFull.await();
            }
            if (closed) {
                throw new IllegalStateException("ingestion is shut down");
            }
            batches.addLast(batch);
            queuedBytes += batch.length();
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The next batch, or {@code null} if none arrived within {@code timeout} or the queue is closed and empty. */
    LineBatch poll(Duration timeout) throws InterruptedException {
        long nanos = Math.max(0, timeout.toNanos());
        lock.lockInterruptibly();
        try {
            while (batches.isEmpty()) {
                if (closed || nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            LineBatch batch = batches.removeFirst();
            queuedBytes -= batch.length();
            notFull.signalAll();
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /** Refuses further puts and wakes every waiter; batches already queued can still be polled. */
    void close() {
        lock.lock();
        try {
            closed = true;
            notFull.signalAll();
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Removes every queued batch (shutdown gave up on them); returns their number of lines. */
    long clear() {
        lock.lock();
        try {
            long lines = batches.stream().mapToLong(LineBatch::lines).sum();
            batches.clear();
            queuedBytes = 0;
            notFull.signalAll();
            return lines;
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    boolean isClosedAndEmpty() {
        lock.lock();
        try {
            return closed && batches.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    long queuedBytes() {
        lock.lock();
        try {
            return queuedBytes;
        } finally {
            lock.unlock();
        }
    }
}
