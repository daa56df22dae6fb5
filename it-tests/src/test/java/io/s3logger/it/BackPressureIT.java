package io.s3logger.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3logger.adapter.fs.GzipSegmentSpool;
import io.s3logger.adapter.tcp.TcpIngestServer;
import io.s3logger.adapter.tcp.TcpSettings;
import io.s3logger.domain.model.RotationPolicy;
import io.s3logger.domain.model.SealedSegment;
import io.s3logger.domain.model.SegmentId;
import io.s3logger.domain.model.SpoolCap;
import io.s3logger.domain.port.out.OpenSegment;
import io.s3logger.domain.port.out.SegmentSpool;
import io.s3logger.domain.service.Backoff;
import io.s3logger.domain.service.DeliveryQueue;
import io.s3logger.domain.service.IngestLimits;
import io.s3logger.domain.service.IngestService;
import io.s3logger.domain.service.RetryTiming;
import io.s3logger.domain.service.SegmentWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §6: a client sending far faster than the disk can write is slowed down by TCP flow control,
 * not by dropping objects, and the in-memory queue stays within its byte bound. The real listener,
 * writer and gzip spool, with the spool's appends throttled to a slow disk's rate.
 */
class BackPressureIT {

    private static final long QUEUE_BYTES = 1 << 20;
    private static final long DISK_BYTES_PER_SECOND = 4_000_000;
    /** The listener hands over at most one read buffer's worth of lines per batch. */
    private static final long LARGEST_BATCH_BYTES = 64 * 1024;

    @TempDir
    Path dir;

    /** A spool on a slow disk: each append takes as long as the disk would need for its bytes. */
    private record ThrottledSpool(SegmentSpool delegate) implements SegmentSpool {
        @Override
        public List<SealedSegment> recover() throws IOException {
            return delegate.recover();
        }

        @Override
        public OpenSegment create(SegmentId id) throws IOException {
            OpenSegment segment = delegate.create(id);
            return new OpenSegment() {
                @Override
                public SegmentId id() {
                    return segment.id();
                }

                @Override
                public void append(byte[] bytes, int offset, int length) throws IOException {
                    LockSupport.parkNanos(length * 1_000_000_000L / DISK_BYTES_PER_SECOND); // the slow disk
                    segment.append(bytes, offset, length);
                }

                @Override
                public long uncompressedBytes() {
                    return segment.uncompressedBytes();
                }

                @Override
                public void flush() throws IOException {
                    segment.flush();
                }

                @Override
                public SealedSegment seal() throws IOException {
                    return segment.seal();
                }
            };
        }

        @Override
        public void delete(SealedSegment segment) throws IOException {
            delegate.delete(segment);
        }
    }

    @Test
    void aClientTenTimesFasterThanTheDiskIsSlowedDownAndLosesNothing() throws Exception {
        List<SealedSegment> sealed = new CopyOnWriteArrayList<>();
        try (GzipSegmentSpool gzip = GzipSegmentSpool.open(dir.resolve("spool"), 1);
                ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor()) {
            SegmentWriter writer = new SegmentWriter(new ThrottledSpool(gzip), new RotationPolicy(Duration.ofHours(1), 0),
                    Duration.ofSeconds(1), Clock.systemUTC(), System::nanoTime, new SplittableRandom(1), sealed::add);
            IngestService ingest = new IngestService(writer, new IngestLimits(QUEUE_BYTES, SpoolCap.NONE),
                    RetryTiming.withUploadBackoff(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30))),
                    new DeliveryQueue(System::nanoTime));
            TcpIngestServer server = new TcpIngestServer(new TcpSettings("127.0.0.1", 0), ingest);
            ingest.start();
            server.start();
            AtomicLong mostQueued = new AtomicLong();
            sampler.scheduleAtFixedRate(() -> mostQueued.accumulateAndGet(ingest.status().queuedBytes(), Math::max),
                    0, 2, TimeUnit.MILLISECONDS);

            // About 20 MB: five seconds of the slow disk, sent as fast as loopback goes.
            List<String> expected = JsonClient.send(server.boundAddress(), 1, 60_000, JsonClient.Shape.COMPACT_LINES);
            server.close();
            ingest.close();

            assertThat(mostQueued.get()).as("the queue filled up: the disk was the bottleneck")
                    .isGreaterThan(QUEUE_BYTES * 8 / 10)
                    .as("and never held more than its bound plus one batch")
                    .isLessThanOrEqualTo(QUEUE_BYTES + LARGEST_BATCH_BYTES);
            assertThat(ingest.status().objectsLost()).isZero();
            List<String> stored = new ArrayList<>();
            for (SealedSegment segment : sealed) {
                stored.addAll(StoredObjects.lines(Files.readAllBytes(segment.file())));
            }
            assertThat(stored).containsExactlyElementsOf(expected);
        }
    }
}
