package io.s3logger.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.s3logger.domain.model.DeliveryBacklog;
import io.s3logger.domain.model.SealedSegment;
import io.s3logger.domain.model.SegmentId;
import io.s3logger.domain.service.DeliveryQueue.Pending;
import io.s3logger.domain.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The queue with the fake clock: retry times pass only when the test advances it. */
class DeliveryQueueTest {

    private static final Instant T0 = Instant.parse("2020-01-01T00:00:00Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final MutableClock clock = new MutableClock(T0);
    private final DeliveryQueue queue = new DeliveryQueue(clock);

    private static SealedSegment segment(int secondsAfterT0, long random, long sizeBytes) {
        SegmentId id = new SegmentId(T0.plusSeconds(secondsAfterT0), random);
        return new SealedSegment(id, Path.of(id.baseName() + ".json.gz"), sizeBytes);
    }

    private SealedSegment takeNow() {
        return queue.poll().orElseThrow().segment();
    }

    @Test
    void takesOldestFirstByCreationTimeThenByRandomPartWhateverThePutOrder() {
        SealedSegment newest = segment(30, 1, 10);
        SealedSegment sameSecondHigher = segment(10, 0xffL << 56, 10);
        SealedSegment oldest = segment(10, 2, 10);
        queue.put(newest);
        queue.put(sameSecondHigher);
        queue.put(oldest);

        assertThat(List.of(takeNow(), takeNow(), takeNow())).containsExactly(oldest, sameSecondHigher, newest);
        assertThat(queue.poll()).isEmpty();
    }

    @Test
    void backlogCountsSegmentsBytesAndKnownObjectsFromPutUntilDeliveredAsOneSnapshot() {
        assertThat(queue.backlog()).isEqualTo(DeliveryBacklog.EMPTY);
        SealedSegment older = segment(1, 1, 100).withObjects(7);
        SealedSegment newer = segment(2, 2, 20); // found at start: its object count is unknown
        queue.put(newer);
        queue.put(older);
        queue.put(older); // already waiting: not counted twice
        assertThat(queue.backlog()).isEqualTo(new DeliveryBacklog(2, 120, 7, Optional.of(older.id().createdAt())));

        Pending uploading = queue.poll().orElseThrow();
        DeliveryBacklog during = queue.backlog();
        assertThat(during).as("an upload in progress is still backlog, but no longer waiting")
                .isEqualTo(new DeliveryBacklog(2, 120, 7, Optional.of(newer.id().createdAt())));

        queue.delivered(uploading);
        assertThat(queue.backlog()).isEqualTo(new DeliveryBacklog(1, 20, 0, Optional.of(newer.id().createdAt())));
        assertThat(during.bytes()).as("a snapshot taken earlier does not change").isEqualTo(120);

        queue.delivered(queue.poll().orElseThrow());
        assertThat(queue.backlog()).isEqualTo(DeliveryBacklog.EMPTY);
    }

    @Test
    void aSegmentHandedBackForRetryWaitsForItsTimeWithoutHoldingBackNewerOnes() {
        SealedSegment older = segment(1, 1, 10);
        SealedSegment newer = segment(2, 2, 10);
        queue.put(older);
        queue.put(newer);

        Pending failed = queue.poll().orElseThrow();
        long started = clock.nanoTime();
        queue.retry(failed.failedAgain(started, clock.nanoTime(), Duration.ofSeconds(1)));
        assertThat(queue.backlog().segments()).isEqualTo(2);
        assertThat(takeNow()).as("the newer one goes while the older waits").isEqualTo(newer);
        assertThat(queue.timeToNextAttempt()).contains(Duration.ofSeconds(1));
        assertThat(queue.poll()).isEmpty();

        clock.advance(Duration.ofMillis(999));
        assertThat(queue.poll()).isEmpty();
        clock.advance(Duration.ofMillis(1));
        Pending retried = queue.poll().orElseThrow();
        assertThat(retried.segment()).isEqualTo(older);
        assertThat(retried.failures()).isEqualTo(1);
        assertThat(retried.failingSinceNanos()).isEqualTo(started);
    }

    @Test
    void failingSinceStaysAtTheFirstFailure() {
        queue.put(segment(1, 1, 10));
        long first = clock.nanoTime();
        Pending once = queue.poll().orElseThrow().failedAgain(first, first, Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(5));
        Pending twice = once.failedAgain(clock.nanoTime(), clock.nanoTime(), Duration.ofSeconds(2));

        assertThat(twice.failures()).isEqualTo(2);
        assertThat(twice.failingSinceNanos()).isEqualTo(first);
        assertThat(twice.notBeforeNanos()).isEqualTo(clock.nanoTime() + Duration.ofSeconds(2).toNanos());
    }

    @Test
    void takeWaitsForAPut() throws Exception {
        try (ExecutorService taker = Executors.newSingleThreadExecutor()) {
            Future<Pending> taken = taker.submit(queue::take);
            await().during(Duration.ofMillis(100)).atMost(TIMEOUT).until(() -> !taken.isDone());

            SealedSegment segment = segment(1, 1, 10);
            queue.put(segment);

            assertThat(taken.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).segment()).isEqualTo(segment);
        }
    }

    @Test
    void takeWaitsForTheRetryTimeOnTheMonotonicClock() throws Exception {
        SealedSegment segment = segment(1, 1, 10);
        queue.put(segment);
        Pending failed = queue.poll().orElseThrow();
        queue.retry(failed.failedAgain(clock.nanoTime(), clock.nanoTime(), Duration.ofMillis(50)));
        try (ExecutorService taker = Executors.newSingleThreadExecutor()) {
            Future<Pending> taken = taker.submit(queue::take);
            clock.stepWall(Duration.ofHours(1));
            await().during(Duration.ofMillis(200)).atMost(TIMEOUT)
                    .until(() -> !taken.isDone()); // the fake monotonic clock has not moved

            clock.advance(Duration.ofMillis(50));

            assertThat(taken.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).segment()).isEqualTo(segment);
        }
    }

    @Test
    void aWaitingTakeEndsWhenItsThreadIsInterrupted() throws Exception {
        List<Throwable> thrown = new ArrayList<>();
        Thread taker = Thread.ofPlatform().start(() -> {
            try {
                queue.take();
            } catch (InterruptedException | RuntimeException e) {
                thrown.add(e);
            }
        });
        taker.interrupt();
        taker.join(TIMEOUT);

        assertThat(taker.isAlive()).isFalse();
        assertThat(thrown).singleElement().isInstanceOf(InterruptedException.class);
    }

    @Test
    void awaitEmptyReturnsWhenTheLastSegmentIsDelivered() throws Exception {
        queue.put(segment(1, 1, 10));
        Pending uploading = queue.poll().orElseThrow();
        try (ExecutorService drainer = Executors.newSingleThreadExecutor()) {
            Future<Boolean> empty = drainer.submit(() -> queue.awaitEmpty(Duration.ofHours(1)));
            await().during(Duration.ofMillis(100)).atMost(TIMEOUT).until(() -> !empty.isDone());

            queue.delivered(uploading);

            assertThat(empty.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void awaitEmptyGivesUpAtItsDeadlineOnTheMonotonicClock() throws Exception {
        queue.put(segment(1, 1, 10));
        assertThat(queue.awaitEmpty(Duration.ZERO)).isFalse();
        try (ExecutorService drainer = Executors.newSingleThreadExecutor()) {
            Future<Boolean> empty = drainer.submit(() -> queue.awaitEmpty(Duration.ofMillis(50)));
            await().during(Duration.ofMillis(200)).atMost(TIMEOUT).until(() -> !empty.isDone());

            clock.advance(Duration.ofMillis(50));

            assertThat(empty.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isFalse();
        }
        assertThat(queue.backlog().segments()).isEqualTo(1);
    }

    @Test
    void concurrentPutsAndTakesHandOverEverySegmentExactlyOnce() throws Exception {
        DeliveryQueue shared = new DeliveryQueue(System::nanoTime); // the real clock, so that a failure ends at the timeout
        int producers = 4;
        int perProducer = 500;
        int consumers = 3;
        Set<SealedSegment> delivered = ConcurrentHashMap.newKeySet();
        List<SealedSegment> duplicates = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(producers + consumers);
        try {
            for (int c = 0; c < consumers; c++) {
                pool.submit(() -> {
                    while (true) {
                        Pending pending = shared.take();
                        if (!delivered.add(pending.segment())) {
                            duplicates.add(pending.segment());
                        }
                        shared.delivered(pending);
                    }
                });
            }
            List<Future<?>> puts = IntStream.range(0, producers).<Future<?>>mapToObj(p -> pool.submit(() -> {
                for (int i = 0; i < perProducer; i++) {
                    shared.put(segment(i, p, 1 + p));
                }
            })).toList();
            for (Future<?> put : puts) {
                put.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }

            assertThat(shared.awaitEmpty(TIMEOUT)).isTrue();
        } finally {
            pool.shutdownNow(); // interrupts the takers
            assertThat(pool.awaitTermination(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }

        assertThat(delivered).hasSize(producers * perProducer);
        assertThat(duplicates).isEmpty();
        assertThat(shared.backlog()).isEqualTo(DeliveryBacklog.EMPTY);
    }
}
