package io.s3logger.domain.service;

import io.s3logger.domain.model.LineBatch;
import io.s3logger.domain.port.in.IngestUseCase;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The ingest use case: connections hand batches to a byte-bounded queue, and one writer thread
 * moves them into segments through the {@link SegmentWriter}. When the writer falls behind, the
 * queue fills and {@link #ingest} blocks, so the connections stop being read.
 *
 * <p>When the spool holds more finished segments than the cap allows (the store is down), the
 * writer pauses the same way instead of deleting anything, and resumes when delivery has made room.
 *
 * <p>When writing fails (disk full, I/O error), the writer waits {@code retryDelay} and tries
 * again with the same segment, resuming where it failed; meanwhile the queue fills and ingestion
 * pauses, and it resumes by itself when writing works again. Nothing is dropped while the program
 * runs; only at shutdown, after {@link #SHUTDOWN_WRITE_ATTEMPTS} failed attempts, is the rest of
 * a batch given up and its loss logged.
 */
public final class IngestService implements IngestUseCase, AutoCloseable {

    static final int SHUTDOWN_WRITE_ATTEMPTS = 3;
    private static final Logger LOG = System.getLogger(IngestService.class.getName());
    /** How long the writer waits for a batch when no segment is open: only wakes it up to notice close(). */
    private static final Duration IDLE_WAIT = Duration.ofMinutes(1);

    /** Why the writer is not taking batches, apart from simply being busy. */
    public enum Pause { NONE, SPOOL_WRITE_FAILING, SPOOL_FULL }

    private final SegmentWriter writer;
    private final BatchQueue queue;
    private final LongSupplier spoolBacklogBytes;
    private final long spoolCapBytes;
    private final Duration retryDelay;
    private final Thread thread;
    private final AtomicLong lostObjects = new AtomicLong();
    private final AtomicLong writeFailures = new AtomicLong();
    private volatile Pause pause = Pause.NONE;

    /**
     * @param spoolBacklogBytes bytes of finished segments waiting for delivery, for the spool cap
     */
    public IngestService(SegmentWriter writer, IngestLimits limits, LongSupplier spoolBacklogBytes) {
        this.writer = Objects.requireNonNull(writer, "writer");
        this.queue = new BatchQueue(limits.queueBytes());
        this.spoolBacklogBytes = Objects.requireNonNull(spoolBacklogBytes, "spoolBacklogBytes");
        this.spoolCapBytes = limits.spoolCapBytes();
        this.retryDelay = limits.retryDelay();
        this.thread = Thread.ofPlatform().name("segment-writer").unstarted(this::run);
    }

    public void start() {
        thread.start();
    }

    @Override
    public void ingest(LineBatch batch) throws InterruptedException {
        if (batch.length() > 0) {
            queue.put(batch);
        }
    }

    /**
     * Refuses further batches, writes every batch already taken, seals the open segment and
     * returns when the writer thread has finished.
     */
    @Override
    public void close() throws InterruptedException {
        queue.close();
        thread.join();
    }

    /** Objects accepted but not stored; the goal is that this stays 0. */
    public long lostObjects() {
        return lostObjects.get();
    }

    public long writeFailures() {
        return writeFailures.get();
    }

    public Pause pause() {
        return pause;
    }

    /** Bytes of batches waiting for the writer. */
    public long queuedBytes() {
        return queue.queuedBytes();
    }

    private void run() {
        try {
            while (true) {
                LineBatch batch = queue.poll(writer.timeToNextWork().orElse(IDLE_WAIT));
                tickSafely();
                if (batch != null) {
                    awaitSpoolRoom();
                    store(batch);
                } else if (queue.isClosedAndEmpty()) {
                    break;
                }
            }
            sealAtShutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.log(Level.ERROR, "Segment writer interrupted; unwritten batches are lost");
        }
    }

    private void sealAtShutdown() throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                writer.sealOpen();
                return;
            } catch (IOException e) {
                writeFailures.incrementAndGet();
                if (attempt >= SHUTDOWN_WRITE_ATTEMPTS) {
                    LOG.log(Level.ERROR, () -> "Cannot seal the last segment at shutdown; its flushed lines stay in the spool"
                            + " and are salvaged at the next start: " + e);
                    return;
                }
                Thread.sleep(retryDelay);
            }
        }
    }

    private void tickSafely() throws InterruptedException {
        try {
            writer.tick();
            if (pause == Pause.SPOOL_WRITE_FAILING) {
                pause = Pause.NONE;
            }
        } catch (IOException e) {
            writeFailures.incrementAndGet();
            pause = Pause.SPOOL_WRITE_FAILING;
            LOG.log(Level.ERROR, () -> "Flushing or sealing the open segment failed; ingestion pauses and retries in "
                    + retryDelay + ": " + e);
            Thread.sleep(retryDelay);
        }
    }

    /** Waits while the spool is over its cap; at shutdown everything received is stored regardless. */
    private void awaitSpoolRoom() throws InterruptedException {
        if (spoolCapBytes == 0) {
            return;
        }
        while (!queue.isClosed() && spoolBacklogBytes.getAsLong() >= spoolCapBytes) {
            if (pause != Pause.SPOOL_FULL) {
                pause = Pause.SPOOL_FULL;
                LOG.log(Level.WARNING, () -> "The spool holds " + spoolBacklogBytes.getAsLong() + " bytes waiting for delivery,"
                        + " at its cap of " + spoolCapBytes + ": ingestion pauses until delivery makes room");
            }
            tickSafely();
            Thread.sleep(retryDelay);
        }
        if (pause == Pause.SPOOL_FULL) {
            LOG.log(Level.INFO, "The spool is below its cap again: ingestion resumes");
        }
        pause = Pause.NONE;
    }

    private void store(LineBatch batch) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                writer.write(batch);
                pause = Pause.NONE;
                return;
            } catch (IOException e) {
                writeFailures.incrementAndGet();
                pause = Pause.SPOOL_WRITE_FAILING;
                if (queue.isClosed() && attempt >= SHUTDOWN_WRITE_ATTEMPTS) {
                    lostObjects.addAndGet(batch.lines());
                    LOG.log(Level.ERROR, () -> "LOST up to " + batch.lines() + " objects: writing to the spool failed at shutdown: " + e);
                    return;
                }
                LOG.log(Level.ERROR, () -> "Writing to the spool failed; ingestion pauses and retries in " + retryDelay + ": " + e);
                Thread.sleep(retryDelay);
            }
        }
    }
}
