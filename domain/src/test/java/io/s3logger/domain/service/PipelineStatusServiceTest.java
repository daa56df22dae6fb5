package io.s3logger.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.s3logger.domain.model.DeliveryBacklog;
import io.s3logger.domain.model.LineBatch;
import io.s3logger.domain.model.RotationPolicy;
import io.s3logger.domain.model.SpoolCap;
import io.s3logger.domain.model.status.IngestStatus;
import io.s3logger.domain.model.status.ListenerStatus;
import io.s3logger.domain.model.status.PipelineStatus;
import io.s3logger.domain.model.status.SpoolStatus;
import io.s3logger.domain.model.status.WriterStatus;
import io.s3logger.domain.port.out.InMemoryObjectStore;
import io.s3logger.domain.testing.InMemorySegmentSpool;
import io.s3logger.domain.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PipelineStatusServiceTest {

    private static final Instant T0 = Instant.parse("2020-01-01T00:00:00Z");
    private static final ListenerStatus LISTENER = new ListenerStatus(true, 3, 1,
            new ListenerStatus.Closes(2, 1, 0, 0, 0, 0, 0), Map.of("malformed", 1L), 0, 0, 5, 120, 0, 0,
            new ListenerStatus.ConnectionMemory(16_384, 25_165_824, 0));
    private static final SpoolStatus SPOOL = new SpoolStatus("gzip level 1", 2);

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private final InMemorySegmentSpool spool = new InMemorySegmentSpool();
    private final DeliveryQueue queue = new DeliveryQueue(clock);
    private final SegmentWriter writer = new SegmentWriter(spool, new RotationPolicy(Duration.ofMinutes(1), 1 << 20),
            Duration.ofSeconds(1), clock, clock, new SplittableRandom(3), queue::put);
    private final IngestService ingest = new IngestService(writer, new IngestLimits(1 << 20, new SpoolCap(0)),
            RetryTiming.withUploadBackoff(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30))), queue);
    private final DeliveryService delivery = new DeliveryService(queue, store, spool, new ObjectNaming("logs"),
            RetryTiming.withUploadBackoff(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30))), Duration.ofMinutes(5),
            clock, clock, new SplittableRandom(9), 1, delivered -> {});
    private final StoreStartupCheck storeCheck = new StoreStartupCheck(store);
    private final PipelineStatusService status = new PipelineStatusService(() -> LISTENER, ingest, writer, () -> SPOOL,
            delivery, storeCheck);

    @Test
    void composesEveryStagesSnapshot() throws Exception {
        byte[] two = "{\"a\":1}\n{\"b\":2}\n".getBytes(StandardCharsets.UTF_8);
        writer.write(new LineBatch(two, two.length, 2));
        writer.sealOpen();
        ingest.ingest(new LineBatch(two, 8, 1)); // the writer thread is not started: it stays queued
        store.setDown(true);
        storeCheck.run();
        clock.advance(Duration.ofSeconds(1));
        delivery.deliverNext(); // fails: the store is down

        PipelineStatus now = status.status();

        assertThat(now.listener()).isSameAs(LISTENER);
        assertThat(now.spool()).isSameAs(SPOOL);
        assertThat(now.ingest()).isEqualTo(new IngestStatus(8, IngestStatus.Pause.NONE, 0, 0));
        assertThat(now.writer()).isEqualTo(new WriterStatus(2, two.length, 1, now.writer().compressedBytesSealed()));
        DeliveryBacklog backlog = now.delivery().backlog();
        assertThat(backlog.segments()).isEqualTo(1);
        assertThat(backlog.objects()).isEqualTo(2);
        assertThat(backlog.bytes()).isEqualTo(now.writer().compressedBytesSealed());
        assertThat(now.delivery().failedAttempts()).isEqualTo(1);
        assertThat(now.delivery().lastFailureNanos()).hasValue(clock.nanoTime());
        assertThat(now.delivery().lastDeliveryNanos()).isEmpty();
        assertThat(now.storeCheckFailure()).contains("store is down");
    }

    @Test
    void saysWhileTheStoreCheckWaitsForTheStore() throws Exception {
        store.holdChecks();
        Thread check = Thread.ofPlatform().start(storeCheck::run);
        await().atMost(Duration.ofSeconds(10)).until(() -> status.status().storeCheckRunning());

        store.answerChecks();
        check.join();

        assertThat(status.status().storeCheckRunning()).isFalse();
        assertThat(status.status().storeCheckFailure()).isEmpty();
    }

    @Test
    void aStoreCheckThatPassedOrDidNotRunIsNoFailure() {
        assertThat(status.status().storeCheckRunning()).isFalse();
        assertThat(status.status().storeCheckFailure()).isEmpty();
        assertThat(storeCheck.run()).isEqualTo(Optional.empty());
        assertThat(status.status().storeCheckFailure()).isEmpty();
        assertThat(status.status().delivery().backlog()).isEqualTo(DeliveryBacklog.EMPTY);
    }
}
