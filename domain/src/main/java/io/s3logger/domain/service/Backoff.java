package io.s3logger.domain.service;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: the n-th consecutive failure waits a random time between half
 * and all of {@code min(initial * 2^(n-1), max)}. The jitter keeps many instances that lost the
 * same store from retrying in lockstep; the lower half bound keeps retries from bunching up.
 */
public record Backoff(Duration initial, Duration max) {

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial backoff must be positive: " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max backoff " + max + " is below initial " + initial);
        }
    }

    /** The delay before the next attempt after {@code failures} consecutive failures (>= 1). */
    public Duration delayAfter(int failures, RandomGenerator random) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be >= 1: " + failures);
        }
        long ceilingNanos = max.toNanos();
        long exponential = initial.toNanos();
        for (int i = 1; i < failures && exponential < ceilingNanos; i++) {
            exponential *= 2;
        }
        long bound = Math.min(exponential, ceilingNanos);
        long half = bound / 2;
        return Duration.ofNanos(half + random.nextLong(bound - half + 1));
    }
}
