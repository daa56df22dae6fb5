package io.s3logger.domain.service;

import io.s3logger.domain.model.LineBatch;
import io.s3logger.domain.model.RotationPolicy;
import io.s3logger.domain.model.SealedSegment;
import io.s3logger.domain.model.SegmentId;
import io.s3logger.domain.model.SegmentStats;
import io.s3logger.domain.model.status.WriterStatus;
import io.s3logger.domain.port.out.MonotonicClock;
import io.s3logger.domain.port.out.OpenSegment;
import io.s3logger.domain.port.out.SegmentSpool;
import io.s3logger.domain.text.Plural;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Writes lines into one open segment at a time and decides, from the injected monotonic clock,
 * when to flush it and when to seal it; the wall clock only names the segments, so setting it
 * back or forward changes no schedule. Not thread-safe: driven by the single writer thread of
 * {@link IngestService}, or directly by tests.
 *
 * <p>A segment is created lazily by the first line after the previous one was sealed, so there
 * are no empty segments. Size rotation happens exactly after the line that makes the segment
 * reach the limit; age rotation happens on {@link #tick()}, with or without new lines.
 *
 * <p>A seal that fails (full disk, read-only or missing directory) leaves the segment open and
 * due: every later {@link #write} and {@link #tick} tries the seal again first, and nothing more
 * is appended to that segment until the seal has worked. So ingestion pauses while sealing fails
 * and resumes by itself, and each line ends up in exactly one segment.
 */
public final class SegmentWriter {

    private static final Logger LOG = System.getLogger(SegmentWriter.class.getName());

    private final SegmentSpool spool;
    private final RotationPolicy policy;
    private final Duration flushInterval;
    private final InstantSource wallClock;
    private final MonotonicClock monotonic;
    private final RandomGenerator random;
    private final Consumer<SealedSegment> sealed;

    private OpenSegment open;
    private long openedAtNanos;
    private long openLines;
    /**
     * When the first and the latest line of the open segment were appended (wall clock: they go
     * into the object's metadata, no duration is taken from them); null while it is empty.
     */
    private Instant firstAppendAt;
    private Instant lastAppendAt;
    /** Lines of the open segment that its last successful flush covered. */
    private long flushedLines;
    /** Whether lines were appended since the last flush, and when (monotonic) they must be flushed. */
    private boolean flushPending;
    private long flushDueNanos;
    /** A seal of the open segment was attempted and failed: it must succeed before anything else is written. */
    private boolean sealDue;
    /** The batch a failed {@link #write} left unfinished, and where to resume it. */
    private LineBatch resuming;
    private int resumeOffset;

    // Totals, read by other threads for metrics.
    private final AtomicLong objectsWritten = new AtomicLong();
    private final AtomicLong rawBytesWritten = new AtomicLong();
    private final AtomicLong segmentsSealed = new AtomicLong();
    private final AtomicLong compressedBytesSealed = new AtomicLong();

    /**
     * @param wallClock names the segments (their creation time, UTC)
     * @param monotonic times the flushes and the age rotation
     * @param random a cryptographically secure source in production: the segment's random part
     *     keeps keys of many instances sharing one bucket apart
     * @param sealed receives every sealed segment, at once (the delivery queue)
     */
    public SegmentWriter(
            SegmentSpool spool,
            RotationPolicy policy,
            Duration flushInterval,
            InstantSource wallClock,
            MonotonicClock monotonic,
            RandomGenerator random,
            Consumer<SealedSegment> sealed) {
        this.spool = Objects.requireNonNull(spool, "spool");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.flushInterval = Objects.requireNonNull(flushInterval, "flushInterval");
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
        this.monotonic = Objects.requireNonNull(monotonic, "monotonic");
        this.random = Objects.requireNonNull(random, "random");
        this.sealed = Objects.requireNonNull(sealed, "sealed");
        if (flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("flushInterval must be positive: " + flushInterval);
        }
    }

    /**
     * Appends every line of {@code batch}, sealing as often as the size limit requires.
     *
     * @throws IOException if the spool failed; nothing is lost in memory. Calling {@code write}
     *     again with the same batch resumes after the last line appended, so a retry neither
     *     loses nor duplicates lines (the spool's append takes nothing when it fails).
     */
    public void write(LineBatch batch) throws IOException {
        byte[] bytes = batch.bytes();
        int offset = batch == resuming ? resumeOffset : 0;
        resuming = batch;
        resumeOffset = offset;
        while (offset < batch.length()) {
            if (open != null && (sealDue || policy.isFull(open.uncompressedBytes()))) {
                seal(); // a seal that failed on an earlier attempt
            }
            if (open == null) {
                openSegment();
            }
            long room = policy.remainingBytes(open.uncompressedBytes());
            int end = batch.length();
            long lines = batch.lines();
            if (end - offset > room) {
                end = endOfLineAt(bytes, offset + (int) room - 1, batch.length());
                lines = countLines(bytes, offset, end);
            } else if (offset > 0) {
                lines = countLines(bytes, offset, end);
            }
            open.append(bytes, offset, end - offset);
            lastAppendAt = wallClock.instant();
            if (firstAppendAt == null) {
                firstAppendAt = lastAppendAt;
            }
            openLines += lines;
            objectsWritten.addAndGet(lines);
            rawBytesWritten.addAndGet(end - offset);
            offset = end;
            resumeOffset = end;
            if (!flushPending) {
                flushPending = true;
                flushDueNanos = monotonic.nanoTime() + flushInterval.toNanos();
            }
            if (policy.isFull(open.uncompressedBytes())) {
                seal();
            }
        }
        resuming = null;
    }

    /** Seals the open segment if it is old enough, otherwise flushes it if a flush is due. */
    public void tick() throws IOException {
        if (open == null) {
            return;
        }
        long now = monotonic.nanoTime();
        if (sealDue || policy.isOld(Duration.ofNanos(now - openedAtNanos))) {
            seal();
        } else if (flushPending && now - flushDueNanos >= 0) {
            open.flush();
            flushPending = false;
            flushedLines = openLines;
        }
    }

    /**
     * How long until {@link #tick()} has work to do ({@link Duration#ZERO} if it has now), or
     * empty when nothing is open.
     */
    public Optional<Duration> timeToNextWork() {
        if (open == null) {
            return Optional.empty();
        }
        long now = monotonic.nanoTime();
        long untilAge = openedAtNanos + policy.maxAge().toNanos() - now;
        long until = flushPending ? Math.min(untilAge, flushDueNanos - now) : untilAge;
        return Optional.of(Duration.ofNanos(Math.max(0, until)));
    }

    /** Seals the open segment, if any (shutdown). */
    public void sealOpen() throws IOException {
        if (open != null) {
            seal();
        }
    }

    /** Lines of {@code batch} not appended yet: all of them, unless a failed {@link #write} of it is to be resumed. */
    public long linesLeft(LineBatch batch) {
        return batch == resuming ? countLines(batch.bytes(), resumeOffset, batch.length()) : batch.lines();
    }

    /** Lines appended to the open segment since its last successful flush: what a crash now could lose. */
    public long unflushedLines() {
        return open == null ? 0 : openLines - flushedLines;
    }

    /** The totals now; safe to call from any thread. */
    public WriterStatus status() {
        return new WriterStatus(objectsWritten.get(), rawBytesWritten.get(), segmentsSealed.get(), compressedBytesSealed.get());
    }

    private void openSegment() throws IOException {
        open = spool.create(new SegmentId(wallClock.instant(), random.nextLong()));
        openedAtNanos = monotonic.nanoTime();
        openLines = 0;
        firstAppendAt = null;
        lastAppendAt = null;
        flushedLines = 0;
        flushPending = false;
    }

    private void seal() throws IOException {
        OpenSegment segment = open;
        long rawBytes = segment.uncompressedBytes();
        long lines = openLines;
        sealDue = true;
        SealedSegment sealedFile = segment.seal();
        SealedSegment result = firstAppendAt == null
                ? sealedFile.withObjects(lines)
                : sealedFile.withStats(new SegmentStats(lines, rawBytes, firstAppendAt, lastAppendAt));
        open = null;
        sealDue = false;
        flushPending = false;
        segmentsSealed.incrementAndGet();
        compressedBytesSealed.addAndGet(result.sizeBytes());
        LOG.log(Level.INFO, () -> "Sealed segment " + result.id().baseName() + ": " + Plural.of(lines, "object", "objects") + ", "
                + Plural.of(rawBytes, "raw byte", "raw bytes") + ", " + Plural.of(result.sizeBytes(), "compressed byte", "compressed bytes"));
        sealed.accept(result);
    }

    /** Index just past the first '\n' at or after {@code from}; lines in a batch always end with one. */
    private static int endOfLineAt(byte[] bytes, int from, int limit) {
        for (int i = from; i < limit; i++) {
            if (bytes[i] == '\n') {
                return i + 1;
            }
        }
        return limit;
    }

    private static long countLines(byte[] bytes, int from, int to) {
        long lines = 0;
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                lines++;
            }
        }
        return lines;
    }
}
