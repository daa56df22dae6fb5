package io.s3logger.domain.port.out;

import java.time.Duration;

/**
 * Elapsed time, for every duration, deadline and schedule (flush interval, age rotation, retry
 * delays, readiness windows, shutdown deadlines): it never steps when the wall clock is set back
 * or forward. {@code System::nanoTime} in production. The wall clock ({@link
 * java.time.InstantSource}, UTC) only names segments and keys.
 */
@FunctionalInterface
public interface MonotonicClock {

    /** Nanoseconds since an arbitrary origin; only the difference of two readings means anything. */
    long nanoTime();

    /** Time elapsed since {@code startNanos}, an earlier reading of this clock. */
    default Duration since(long startNanos) {
        return Duration.ofNanos(nanoTime() - startNanos);
    }
}
