package io.s3logger.domain.port.out;

import io.s3logger.domain.model.ObjectKey;
import io.s3logger.domain.model.SegmentStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** A fake store for tests: keeps objects in memory and can be told to fail the next puts. */
public final class InMemoryObjectStore implements ObjectStore {

    private final Map<ObjectKey, byte[]> objects = new ConcurrentHashMap<>();
    private final Map<ObjectKey, SegmentStats> stats = new ConcurrentHashMap<>();
    private final List<ObjectKey> putOrder = new ArrayList<>();
    private final AtomicInteger failuresToInject = new AtomicInteger();
    private final AtomicInteger attempts = new AtomicInteger();
    private volatile boolean down;
    private volatile CountDownLatch checkAnswered = new CountDownLatch(0);

    @Override
    public void put(ObjectKey key, Path file, Optional<SegmentStats> counted) throws ObjectStoreException {
        attempts.incrementAndGet();
        if (down || failuresToInject.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new ObjectStoreException("injected failure for " + key);
        }
        try {
            objects.put(key, Files.readAllBytes(file));
            counted.ifPresentOrElse(value -> stats.put(key, value), () -> stats.remove(key));
        } catch (IOException e) {
            throw new ObjectStoreException("cannot read " + file, e);
        }
        synchronized (putOrder) {
            putOrder.add(key);
        }
    }

    @Override
    public void checkAvailable() throws ObjectStoreException {
        try {
            checkAnswered.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ObjectStoreException("interrupted while checking", e);
        }
        if (down) {
            throw new ObjectStoreException("store is down");
        }
    }

    @Override
    public void close() {}

    /** The next {@code count} puts fail. */
    public void failNext(int count) {
        failuresToInject.set(count);
    }

    /** Until {@link #answerChecks()}, {@link #checkAvailable()} waits: a store that does not answer. */
    public void holdChecks() {
        checkAnswered = new CountDownLatch(1);
    }

    public void answerChecks() {
        checkAnswered.countDown();
    }

    /** While down, every put fails. */
    public void setDown(boolean down) {
        this.down = down;
    }

    /** What the put of {@code key} said the object holds, if it said. */
    public Optional<SegmentStats> stats(ObjectKey key) {
        return Optional.ofNullable(stats.get(key));
    }

    public byte[] get(ObjectKey key) {
        return objects.get(key);
    }

    public Map<ObjectKey, byte[]> objects() {
        return Map.copyOf(objects);
    }

    /** Keys in the order their puts succeeded. */
    public List<ObjectKey> putOrder() {
        synchronized (putOrder) {
            return List.copyOf(putOrder);
        }
    }

    public int attempts() {
        return attempts.get();
    }
}
