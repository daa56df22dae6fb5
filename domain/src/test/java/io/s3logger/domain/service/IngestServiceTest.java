package io.s3logger.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.s3logger.domain.model.LineBatch;
import io.s3logger.domain.model.RotationPolicy;
import io.s3logger.domain.model.SealedSegment;
import io.s3logger.domain.model.SegmentId;
import io.s3logger.domain.model.SpoolCap;
import io.s3logger.domain.model.status.IngestStatus;
import io.s3logger.domain.port.out.SegmentSpoolContract;
import io.s3logger.domain.testing.InMemorySegmentSpool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The writer thread with the real clock: tests poll with a deadline, never sleep. */
class IngestServiceTest {

    /** Spool retries every 10 ms, so that the tests are quick; a stop waits 500 ms for the writer past its deadline. */
    private static final RetryTiming TIMING = new RetryTiming(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30)),
            Duration.ofMillis(10), Duration.ofMillis(500));

    private final InMemorySegmentSpool spool = new InMemorySegmentSpool();
    private final List<SealedSegment> sealed = new CopyOnWriteArrayList<>();

    /** Sealed segments waiting for delivery: what the spool cap reads. */
    private final DeliveryQueue waitingForDelivery = new DeliveryQueue(System::nanoTime);

    private IngestService service(Duration maxAge, long maxBytes) {
        return service(maxAge, maxBytes, 0);
    }

    private IngestService service(Duration maxAge, long maxBytes, long spoolCapBytes) {
        SegmentWriter writer = new SegmentWriter(spool, new RotationPolicy(maxAge, maxBytes), Duration.ofMillis(50),
                Clock.systemUTC(), System::nanoTime, new SplittableRandom(5), sealed::add);
        return new IngestService(writer, new IngestLimits(1 << 20, new SpoolCap(spoolCapBytes)), TIMING, waitingForDelivery);
    }

    /** Puts a sealed segment of {@code sizeBytes} in the delivery queue, created {@code second} s after the epoch. */
    private void waitingForDelivery(int second, long sizeBytes) {
        SegmentId id = new SegmentId(Instant.EPOCH.plusSeconds(second), second);
        waitingForDelivery.put(new SealedSegment(id, Path.of(id.baseName() + ".json.gz"), sizeBytes));
    }

    private static LineBatch line(String json) {
        byte[] bytes = (json + "\n").getBytes(StandardCharsets.UTF_8);
        return new LineBatch(bytes, bytes.length, 1);
    }

    private String allText() {
        return spool.segments().stream().map(InMemorySegmentSpool.Segment::text).collect(Collectors.joining());
    }

    @Test
    void closeWritesEverythingQueuedAndSealsTheOpenSegment() throws Exception {
        IngestService service = service(Duration.ofHours(1), 0);
        service.start();
        for (int i = 0; i < 1000; i++) {
            service.ingest(line("{\"i\":" + i + "}"));
        }

        service.close();

        assertThat(sealed).hasSize(1);
        assertThat(allText().lines()).hasSize(1000).first().isEqualTo("{\"i\":0}");
        assertThatThrownBy(() -> service.ingest(line("{}"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void ageRotationFiresByItselfWithoutFurtherInput() throws Exception {
        IngestService service = service(Duration.ofMillis(200), 0);
        service.start();
        service.ingest(line("{\"a\":1}"));

        await().atMost(Duration.ofSeconds(10)).until(() -> sealed.size() == 1);
        assertThat(spool.segments().get(0).isSealed()).isTrue();
        service.close();
        assertThat(sealed).hasSize(1);
    }

    @Test
    void flushesWithinTheIntervalWithoutFurtherInput() throws Exception {
        IngestService service = service(Duration.ofHours(1), 0);
        service.start();
        service.ingest(line("{\"a\":1}"));

        await().atMost(Duration.ofSeconds(10)).until(() -> !spool.segments().isEmpty()
                && spool.segments().get(0).flushedBytes() == 8);
        service.close();
    }

    @Test
    void writeFailuresPauseAndRetryWithoutLosingTheBatch() throws Exception {
        IngestService service = service(Duration.ofHours(1), 0);
        spool.failNextAppends(3);
        service.start();
        service.ingest(line("{\"kept\":true}"));

        await().atMost(Duration.ofSeconds(10)).until(() -> allText().contains("{\"kept\":true}\n"));
        service.close();

        assertThat(service.status().spoolWriteFailures()).isEqualTo(3);
        assertThat(service.status().objectsLost()).isZero();
        assertThat(allText()).isEqualTo("{\"kept\":true}\n");
    }

    @Test
    void aStopKeepsRetryingAFailingDiskAndStoresEverythingWhenItHealsBeforeTheDeadline() throws Exception {
        IngestService service = service(Duration.ofHours(1), 0);
        spool.failNextAppends(20); // 200 ms of failures at one retry every 10 ms
        service.start();
        for (int i = 0; i < 3; i++) {
            service.ingest(line("{\"i\":" + i + "}"));
        }

        assertThat(service.close(Duration.ofSeconds(30))).isTrue();

        assertThat(service.status().objectsLost()).isZero();
        assertThat(allText()).isEqualTo("{\"i\":0}\n{\"i\":1}\n{\"i\":2}\n");
        assertThat(sealed).hasSize(1);
    }

    @Test
    void aStopWithTheDiskStillFailingEndsAtItsDeadlineAndCountsEveryObjectNotWritten() throws Exception {
        IngestService service = service(Duration.ofHours(1), 0);
        spool.breakAt(SegmentSpoolContract.Step.APPEND);
        service.start();
        for (int i = 0; i < 5; i++) {
            service.ingest(line("{\"i\":" + i + "}"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> service.status().pause() == IngestStatus.Pause.SPOOL_WRITE_FAILING);

        long start = System.nanoTime();
        boolean complete = service.close(Duration.ofMillis(300));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(complete).isFalse();
        assertThat(took).isBetween(Duration.ofMillis(300), Duration.ofMillis(300).plus(TIMING.stopGrace()));
        assertThat(service.status().objectsLost()).as("the batch in hand and the queued ones").isEqualTo(5);
        assertThat(allText()).isEmpty();
    }

    @Test
    void aFullSpoolPausesIngestionUntilDeliveryMakesRoom() throws Exception {
        IngestService service = service(Duration.ofHours(1), 0, 1000);
        waitingForDelivery(1, 1);
        waitingForDelivery(2, 999); // 1000 bytes in all
        service.start();
        service.ingest(line("{\"waits\":1}"));

        await().atMost(Duration.ofSeconds(10)).until(() -> service.status().pause() == IngestStatus.Pause.SPOOL_FULL);
        assertThat(spool.segments()).isEmpty();

        waitingForDelivery.delivered(waitingForDelivery.poll().orElseThrow()); // the 1-byte one: 999 left
        await().atMost(Duration.ofSeconds(10)).until(() -> allText().equals("{\"waits\":1}\n"));
        assertThat(service.status().pause()).isEqualTo(IngestStatus.Pause.NONE);
        service.close();
    }

    @Test
    void atShutdownEverythingReceivedIsStoredEvenOverTheCap() throws Exception {
        IngestService service = service(Duration.ofHours(1), 0, 1000);
        waitingForDelivery(1, 5000);
        service.start();
        service.ingest(line("{\"late\":1}"));

        service.close();

        assertThat(allText()).isEqualTo("{\"late\":1}\n");
        assertThat(sealed).hasSize(1);
    }
}
