package io.s3logger.domain.service;

import io.s3logger.domain.model.LineBatch;
import io.s3logger.domain.model.SpoolCap;
import io.s3logger.domain.model.status.IngestStatus;
import io.s3logger.domain.model.status.IngestStatus.Pause;
import io.s3logger.domain.port.in.IngestUseCase;
import io.s3logger.domain.text.Plural;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ingest use case: connections hand batches to a byte-bounded queue, and one writer thread
 * moves them into segments through the {@link SegmentWriter}. When the writer falls behind, the
 * queue fills and {@link #ingest} blocks, so the connections stop being read.
 *
 * <p>When the {@link SpoolCap} is reached by the sealed segments waiting in the {@link
 * DeliveryQueue} (the store is down), the writer pauses the same way instead of deleting anything,
 * and resumes when delivery has made room.
 *
 * <p>When writing fails (disk full, I/O error), the writer waits {@link RetryTiming#spoolRetry()}
 * and tries again with the same segment, resuming where it failed; meanwhile the queue fills and
 * ingestion pauses, and it resumes by itself when writing works again. Nothing is dropped while
 * the program runs. A stop ({@link #close(Duration)}) keeps trying until its deadline; then it
 * gives up: the objects not written (the rest of the batch in hand, the queued batches, and the
 * open segment's lines not flushed yet) are counted in {@link IngestStatus#objectsLost()} and logged at ERROR.
 */
public final class IngestService implements IngestUseCase, AutoCloseable {

    private static final Logger LOG = System.getLogger(IngestService.class.getName());
    /** How long the writer waits for a batch when no segment is open: only wakes it up to notice close(). */
    private static final Duration IDLE_WAIT = Duration.ofMinutes(1);

    private final SegmentWriter writer;
    private final BatchQueue queue;
    private final DeliveryQueue sealed;
    private final SpoolCap spoolCap;
    private final RetryTiming timing;
    private final Thread thread;
    private final AtomicLong lostObjects = new AtomicLong();
    private final AtomicLong writeFailures = new AtomicLong();
    private volatile Pause pause = Pause.NONE;
    /** Set by a stop whose deadline passed: the writer gives up what it has not written. */
    private volatile boolean givingUp;
    /** The batch the writer thread is storing; only touched by that thread. */
    private LineBatch inHand;

    /**
     * @param sealed where the writer's sealed segments wait for delivery; its backlog is what the
     *     spool cap reads
     */
    public IngestService(SegmentWriter writer, IngestLimits limits, RetryTiming timing, DeliveryQueue sealed) {
        this.writer = Objects.requireNonNull(writer, "writer");
        this.queue = new BatchQueue(limits.queueBytes());
        this.sealed = Objects.requireNonNull(sealed, "sealed");
        this.spoolCap = limits.spoolCap();
        this.timing = Objects.requireNonNull(timing, "timing");
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
     * returns when the writer thread has finished, however long that takes.
     */
    @Override
    public void close() throws InterruptedException {
        queue.close();
        thread.join();
    }

    /**
     * As {@link #close()}, but gives up when {@code timeout} has passed: the writer is
     * interrupted, what it has not written is counted lost and logged at ERROR (lines flushed
     * before stay in the spool for the next start), and this returns within {@link
     * RetryTiming#stopGrace()} more.
     *
     * @return {@code true} if everything was written and the open segment sealed
     */
    public boolean close(Duration timeout) throws InterruptedException {
        queue.close();
        if (thread.join(timeout.isNegative() ? Duration.ZERO : timeout)) {
            return true;
        }
        givingUp = true;
        thread.interrupt();
        if (!thread.join(timing.stopGrace())) {
            LOG.log(Level.ERROR, "The segment writer did not stop when interrupted; leaving it behind");
        }
        return false;
    }

    /** The queue, the pause and the failures now. */
    public IngestStatus status() {
        return new IngestStatus(queue.queuedBytes(), pause, writeFailures.get(), lostObjects.get());
    }

    private void run() {
        try {
            while (true) {
                LineBatch batch = queue.poll(writer.timeToNextWork().orElse(IDLE_WAIT));
                tickSafely();
                if (batch != null) {
                    inHand = batch;
                    awaitSpoolRoom();
                    store(batch);
                    inHand = null;
                } else if (queue.isClosedAndEmpty()) {
                    break;
                }
            }
            sealAtShutdown();
        } catch (InterruptedException e) {
            giveUp();
        }
    }

    /** Counts and logs what the writer had not written when the stop's deadline passed. */
    private void giveUp() {
        long ofBatch = inHand == null ? 0 : writer.linesLeft(inHand);
        long queued = queue.clear();
        long unflushed = writer.unflushedLines();
        long lost = ofBatch + queued + unflushed;
        lostObjects.addAndGet(lost);
        LOG.log(Level.ERROR, () -> "LOST up to " + Plural.of(lost, "object", "objects") + ": the spool could not be written before the shutdown"
                + " deadline (" + ofBatch + " of the batch in hand, " + queued + " queued, " + unflushed
                + " not flushed); the lines flushed before stay in the spool and are salvaged at the next start");
    }

    /** At shutdown, seals the open segment; keeps trying while the disk fails, until the stop gives up. */
    private void sealAtShutdown() throws InterruptedException {
        while (true) {
            try {
                writer.sealOpen();
                return;
            } catch (IOException e) {
                failed("Sealing the last segment at shutdown failed; retrying until the shutdown deadline", e);
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
            failed("Flushing or sealing the open segment failed; ingestion pauses and retries", e);
        }
    }

    /** Waits while the spool is over its cap; at shutdown everything received is stored regardless. */
    private void awaitSpoolRoom() throws InterruptedException {
        if (!spoolCap.isEnabled()) {
            return;
        }
        while (!queue.isClosed() && spoolCap.isReachedBy(sealed.backlog())) {
            if (pause != Pause.SPOOL_FULL) {
                pause = Pause.SPOOL_FULL;
                LOG.log(Level.WARNING, () -> "The spool holds " + Plural.of(sealed.backlog().bytes(), "byte", "bytes") + " waiting for delivery,"
                        + " at its cap of " + spoolCap.pendingBytesLimit() + ": ingestion pauses until delivery makes room");
            }
            tickSafely();
            Thread.sleep(timing.spoolRetry());
        }
        if (pause == Pause.SPOOL_FULL) {
            LOG.log(Level.INFO, "The spool is below its cap again: ingestion resumes");
        }
        pause = Pause.NONE;
    }

    private void store(LineBatch batch) throws InterruptedException {
        while (true) {
            try {
                writer.write(batch);
                pause = Pause.NONE;
                return;
            } catch (IOException e) {
                failed("Writing to the spool failed; ingestion pauses and retries", e);
            }
        }
    }

    /**
     * Counts a failure of the spool, pauses ingestion and waits before the retry.
     *
     * @throws InterruptedException when the stop gave up (an interrupted write fails with an
     *     IOException, not with this)
     */
    private void failed(String what, IOException e) throws InterruptedException {
        if (givingUp) {
            throw new InterruptedException("the shutdown deadline passed");
        }
        writeFailures.incrementAndGet();
        pause = Pause.SPOOL_WRITE_FAILING;
        LOG.log(Level.ERROR, () -> what + " in " + timing.spoolRetry().toMillis() + " ms: " + e);
        Thread.sleep(timing.spoolRetry());
    }
}
