package io.s3logger.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.s3logger.domain.model.ObjectKey;
import io.s3logger.domain.model.SealedSegment;
import io.s3logger.domain.model.SegmentStats;
import io.s3logger.domain.model.SegmentId;
import io.s3logger.domain.port.out.InMemoryObjectStore;
import io.s3logger.domain.testing.InMemorySegmentSpool;
import io.s3logger.domain.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeliveryServiceTest {

    private static final Instant T0 = Instant.parse("2020-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private final InMemorySegmentSpool spool = new InMemorySegmentSpool();
    private final ObjectNaming naming = new ObjectNaming("logs");
    private final List<Delivery> deliveries = new ArrayList<>();
    /** The program's defaults: uploads back off from 1 s to 30 s. */
    private static final RetryTiming TIMING = RetryTiming.withUploadBackoff(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30)));

    private final DeliveryQueue queue = new DeliveryQueue(clock);
    private final DeliveryService service = new DeliveryService(queue, store, spool, naming, TIMING,
            Duration.ofMinutes(5), clock, clock, new SplittableRandom(9), 1, deliveries::add);

    private SealedSegment segment(int secondsAfterT0, String content) throws IOException {
        SegmentId id = new SegmentId(T0.plusSeconds(secondsAfterT0), secondsAfterT0);
        Path file = Files.writeString(dir.resolve(id.baseName() + ".json.gz"), content);
        return new SealedSegment(id, file, Files.size(file));
    }

    @Test
    void deliversOldestFirstUnderItsKeyAndDeletesAfterConfirmation() throws Exception {
        SealedSegment newer = segment(20, "b");
        SealedSegment older = segment(10, "a");
        queue.put(newer);
        queue.put(older);

        assertThat(service.deliverNext()).isTrue();
        assertThat(service.deliverNext()).isTrue();
        assertThat(service.deliverNext()).isFalse();

        assertThat(store.putOrder()).containsExactly(naming.keyFor(older.id()), naming.keyFor(newer.id()));
        assertThat(store.get(new ObjectKey("logs/dt=2020-01-01/20200101T000010_000000000000000a.json.gz")))
                .containsExactly('a');
        assertThat(spool.deleted()).containsExactly(older, newer);
        assertThat(service.status().backlog().segments()).isZero();
        assertThat(service.status().deliveredSegments()).isEqualTo(2);
    }

    @Test
    void countsBacklogAndReportsEachDelivery() throws Exception {
        SegmentStats stats = new SegmentStats(3, 12, T0.plusSeconds(10), T0.plusSeconds(11));
        SealedSegment known = segment(10, "abc").withStats(stats);
        SealedSegment recovered = segment(20, "de");
        queue.put(known);
        queue.put(recovered);
        assertThat(service.status().backlog().bytes()).isEqualTo(5);
        assertThat(service.status().backlog().objects()).as("the count known").isEqualTo(3);
        assertThat(service.status().backlog().oldestWaiting()).contains(known.id().createdAt());

        clock.advance(Duration.ofMinutes(1));
        service.deliverNext();
        service.deliverNext();

        assertThat(service.status().backlog().bytes()).isZero();
        assertThat(service.status().backlog().objects()).isZero();
        assertThat(service.status().backlog().oldestWaiting()).isEmpty();
        assertThat(service.status().deliveredObjects()).isEqualTo(3);
        assertThat(store.stats(naming.keyFor(known.id()))).as("handed to the store").contains(stats);
        assertThat(store.stats(naming.keyFor(recovered.id()))).isEmpty();
        assertThat(service.status().deliveredBytes()).isEqualTo(5);
        assertThat(deliveries).extracting(Delivery::key)
                .containsExactly(naming.keyFor(known.id()), naming.keyFor(recovered.id()));
        assertThat(deliveries.get(0).age()).isEqualTo(Duration.ofSeconds(50));
    }

    @Test
    void failedDeliveryKeepsTheFileAndRetriesAfterBackoff() throws Exception {
        SealedSegment only = segment(1, "x");
        queue.put(only);
        store.failNext(1);

        assertThat(service.deliverNext()).isTrue();
        assertThat(spool.deleted()).isEmpty();
        assertThat(only.file()).exists();
        assertThat(service.status().backlog().segments()).isEqualTo(1);

        // First retry waits between 0.5 s and 1 s.
        clock.advance(Duration.ofMillis(499));
        assertThat(service.deliverNext()).isFalse();
        clock.advance(Duration.ofMillis(501));
        assertThat(service.deliverNext()).isTrue();

        assertThat(spool.deleted()).containsExactly(only);
        assertThat(service.status().lastDeliveryNanos().getAsLong() - service.status().lastFailureNanos().getAsLong())
                .isEqualTo(Duration.ofSeconds(1).toNanos());
        assertThat(store.attempts()).isEqualTo(2);
        assertThat(service.status().failedAttempts()).isEqualTo(1);
    }

    @Test
    void backoffGrowsWithConsecutiveFailuresUpToTheCap() throws Exception {
        queue.put(segment(1, "x"));
        store.setDown(true);

        Duration previousWait = Duration.ZERO;
        for (int failures = 1; failures <= 10; failures++) {
            assertThat(service.deliverNext()).isTrue();
            Duration waited = waitUntilReady();
            Duration bound = Duration.ofSeconds(Math.min(30, 1L << (failures - 1)));
            assertThat(waited).isBetween(bound.dividedBy(2), bound);
            previousWait = waited;
        }
        assertThat(previousWait).isLessThanOrEqualTo(Duration.ofSeconds(30));
        assertThat(spool.deleted()).isEmpty();

        store.setDown(false);
        assertThat(service.deliverNext()).isTrue();
        assertThat(spool.deleted()).hasSize(1);
    }

    @Test
    void wallClockStepsBackAndForwardAnHourChangeNoRetryDelay() throws Exception {
        SealedSegment only = segment(1, "x");
        queue.put(only);
        store.failNext(2);

        service.deliverNext(); // first failure: the retry waits 0.5 to 1 s
        clock.stepWall(Duration.ofHours(-1));
        clock.advance(Duration.ofMillis(499));
        assertThat(service.deliverNext()).as("a step back does not delay the retry, a step forward does not hasten it").isFalse();
        clock.advance(Duration.ofMillis(501));
        assertThat(service.deliverNext()).as("retried on schedule after the wall clock went back an hour").isTrue();
        clock.stepWall(Duration.ofHours(2)); // second failure: 1 to 2 s
        assertThat(service.deliverNext()).as("an hour forward on the wall clock is no time passed").isFalse();
        clock.advance(Duration.ofMillis(999));
        assertThat(service.deliverNext()).isFalse();
        clock.advance(Duration.ofMillis(1001));
        assertThat(service.deliverNext()).isTrue();

        assertThat(spool.deleted()).containsExactly(only);
        assertThat(deliveries).singleElement().extracting(Delivery::deliveredAt).as("stamped with the wall clock")
                .isEqualTo(T0.plus(Duration.ofHours(1)).plusSeconds(3));
    }

    @Test
    void aSegmentWaitingForItsRetryDoesNotHoldBackNewerOnes() throws Exception {
        SealedSegment older = segment(1, "a");
        SealedSegment newer = segment(2, "b");
        queue.put(older);
        queue.put(newer);
        store.failNext(1);

        service.deliverNext(); // older fails
        service.deliverNext(); // newer goes through while older waits
        assertThat(spool.deleted()).containsExactly(newer);

        clock.advance(Duration.ofSeconds(1));
        service.deliverNext();
        assertThat(spool.deleted()).containsExactly(newer, older);
    }

    @Test
    void workersDeliverInTheBackgroundAndDrainReportsCompletion() throws Exception {
        DeliveryQueue runningQueue = new DeliveryQueue(System::nanoTime);
        DeliveryService running = new DeliveryService(runningQueue, store, spool, naming, TIMING, Duration.ofMinutes(5),
                java.time.Clock.systemUTC(), System::nanoTime, new SplittableRandom(1), 2, delivery -> {});
        running.start();
        for (int i = 0; i < 20; i++) {
            runningQueue.put(segment(i, "s" + i));
        }

        assertThat(running.drain(Duration.ofSeconds(30))).isTrue();
        assertThat(store.objects()).hasSize(20);
        assertThat(spool.deleted()).hasSize(20);
    }

    @Test
    void drainGivesUpAtTheDeadlineAndLeavesTheSegment() throws Exception {
        DeliveryQueue runningQueue = new DeliveryQueue(System::nanoTime);
        DeliveryService running = new DeliveryService(runningQueue, store, spool, naming, TIMING, Duration.ofMinutes(5),
                java.time.Clock.systemUTC(), System::nanoTime, new SplittableRandom(1), 1, delivery -> {});
        store.setDown(true);
        running.start();
        SealedSegment stuck = segment(1, "x");
        runningQueue.put(stuck);

        assertThat(running.drain(Duration.ofMillis(200))).isFalse();
        assertThat(running.status().backlog().segments()).isEqualTo(1);
        assertThat(stuck.file()).exists();
        assertThat(spool.deleted()).isEmpty();
    }

    @Test
    void drainEndsAtItsDeadlineEvenWhenAnUploadNeverReturnsAndIgnoresInterrupts() throws Exception {
        StalledStore stalled = new StalledStore();
        DeliveryQueue runningQueue = new DeliveryQueue(System::nanoTime);
        DeliveryService running = new DeliveryService(runningQueue, stalled, spool, naming, TIMING, Duration.ofMinutes(5),
                java.time.Clock.systemUTC(), System::nanoTime, new SplittableRandom(1), 1, delivery -> {});
        running.start();
        SealedSegment stuck = segment(1, "x");
        runningQueue.put(stuck);
        stalled.entered.await();
        try {
            long start = System.nanoTime();
            boolean delivered = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> running.drain(Duration.ofMillis(300)));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(delivered).isFalse();
            // The stalled upload would hold drain for ever; 2 s of slack absorbs a loaded machine's scheduling.
            assertThat(took).as("the deadline plus the stop grace, not the stalled upload")
                    .isLessThan(Duration.ofMillis(300).plus(TIMING.stopGrace()).plusSeconds(2));
            assertThat(running.status().backlog().segments()).as("the stalled upload's segment is not delivered").isEqualTo(1);
            assertThat(stuck.file()).exists();
            assertThat(spool.deleted()).isEmpty();
        } finally {
            stalled.release.countDown();
        }
    }

    /** A store whose put never returns until the test ends, whatever interrupts it gets. */
    private static final class StalledStore implements io.s3logger.domain.port.out.ObjectStore {
        final java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);

        @Override
        public void put(ObjectKey key, Path file, Optional<SegmentStats> stats) {
            entered.countDown();
            boolean interrupted = false;
            while (release.getCount() > 0) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    interrupted = true; // ignored, as a stuck socket read would
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void checkAvailable() {}

        @Override
        public void close() {}
    }

    /** Advances the fake clock in 10 ms steps until a segment is ready; returns how far it moved. */
    private Duration waitUntilReady() {
        long from = clock.nanoTime();
        Duration step = Duration.ofMillis(10);
        while (!readyWithoutDelivering()) {
            clock.advance(step);
        }
        return clock.since(from);
    }

    private boolean readyWithoutDelivering() {
        return queue.timeToNextAttempt().orElseThrow().isZero();
    }
}
