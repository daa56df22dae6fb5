package io.s3logger.domain.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

    @Test
    void doublesFromAboutOneSecondWithJitterInTheUpperHalf() {
        SplittableRandom random = new SplittableRandom(42);
        for (int failures = 1; failures <= 5; failures++) {
            Duration bound = Duration.ofSeconds(1L << (failures - 1));
            for (int i = 0; i < 200; i++) {
                assertThat(backoff.delayAfter(failures, random)).isBetween(bound.dividedBy(2), bound);
            }
        }
    }

    @Test
    void isCappedAtThirtySeconds() {
        SplittableRandom random = new SplittableRandom(7);
        for (int failures : new int[] {6, 10, 64, 1_000_000}) {
            assertThat(backoff.delayAfter(failures, random)).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
        }
    }

    @Test
    void jitterSpreadsDelays() {
        SplittableRandom random = new SplittableRandom(1);
        long distinct = java.util.stream.IntStream.range(0, 50)
                .mapToObj(i -> backoff.delayAfter(3, random))
                .distinct()
                .count();
        assertThat(distinct).isGreaterThan(40);
    }
}
