package io.s3logger.domain.testing;

import io.s3logger.domain.model.SealedSegment;
import io.s3logger.domain.model.SegmentId;
import io.s3logger.domain.port.out.OpenSegment;
import io.s3logger.domain.port.out.SegmentSpool;
import io.s3logger.domain.port.out.SegmentSpoolContract.Step;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake spool keeping segment contents uncompressed in memory. Records which segments were
 * flushed, sealed and deleted, and can be told to fail writes: a number of times, or from one
 * step on until healed (the {@link io.s3logger.domain.port.out.SegmentSpoolContract} way).
 */
public final class InMemorySegmentSpool implements SegmentSpool {

    private final List<Segment> segments = new ArrayList<>();
    private final List<SealedSegment> deleted = new ArrayList<>();
    private final AtomicInteger appendFailures = new AtomicInteger();
    private final AtomicInteger sealFailures = new AtomicInteger();
    private volatile Step brokenAt;

    /** One segment's state as the writer left it. */
    public final class Segment implements OpenSegment {
        private final SegmentId id;
        private final ByteArrayOutputStream content = new ByteArrayOutputStream();
        private int flushedBytes;
        private boolean sealed;

        Segment(SegmentId id) {
            this.id = id;
        }

        @Override
        public SegmentId id() {
            return id;
        }

        @Override
        public synchronized void append(byte[] bytes, int offset, int length) throws IOException {
            if (sealed) {
                throw new IllegalStateException("append to sealed segment " + id);
            }
            if (appendFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0 || brokenAt == Step.APPEND) {
                throw new IOException("injected write failure");
            }
            content.write(bytes, offset, length);
        }

        @Override
        public synchronized long uncompressedBytes() {
            return content.size();
        }

        @Override
        public synchronized void flush() throws IOException {
            if (brokenAt == Step.FLUSH) {
                throw new IOException("injected flush failure");
            }
            flushedBytes = content.size();
        }

        @Override
        public synchronized SealedSegment seal() throws IOException {
            if (sealed) {
                throw new IllegalStateException("segment " + id + " is already sealed");
            }
            Step broken = brokenAt;
            if (sealFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0 || (broken != null && broken.compareTo(Step.TRAILER) >= 0)) {
                throw new IOException("injected seal failure");
            }
            sealed = true;
            flushedBytes = content.size();
            return new SealedSegment(id, Path.of(id.baseName() + ".json.gz"), content.size());
        }

        public synchronized String text() {
            return content.toString(StandardCharsets.UTF_8);
        }

        public synchronized int flushedBytes() {
            return flushedBytes;
        }

        public synchronized boolean isSealed() {
            return sealed;
        }
    }

    @Override
    public List<SealedSegment> recover() {
        return List.of();
    }

    @Override
    public synchronized OpenSegment create(SegmentId id) {
        Segment segment = new Segment(id);
        segments.add(segment);
        return segment;
    }

    @Override
    public synchronized void delete(SealedSegment segment) {
        deleted.add(segment);
    }

    /** The next {@code count} appends fail with an IOException, taking nothing (as the gzip spool does). */
    public void failNextAppends(int count) {
        appendFailures.set(count);
    }

    /** The next {@code count} seals fail with an IOException, leaving the segment open. */
    public void failNextSeals(int count) {
        sealFailures.set(count);
    }

    /** From now on every append, flush or seal reaching {@code step} fails, until {@link #heal()}. */
    public void breakAt(Step step) {
        brokenAt = step;
    }

    public void heal() {
        brokenAt = null;
        appendFailures.set(0);
        sealFailures.set(0);
    }

    /** The segment with this id, if it was created. */
    public synchronized Optional<Segment> segment(SegmentId id) {
        return segments.stream().filter(segment -> segment.id().equals(id)).findFirst();
    }

    public synchronized List<Segment> segments() {
        return List.copyOf(segments);
    }

    public synchronized List<SealedSegment> deleted() {
        return List.copyOf(deleted);
    }
}
