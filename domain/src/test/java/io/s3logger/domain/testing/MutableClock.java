package io.s3logger.domain.testing;

import io.s3logger.domain.port.out.MonotonicClock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * A wall clock and a monotonic clock that move only when a test says so: {@link #advance} moves
 * both, as time passing does; {@link #stepWall} and {@link #set} move only the wall clock, as an
 * operator or NTP setting the time does.
 */
public final class MutableClock implements InstantSource, MonotonicClock {

    /** An arbitrary origin far from 0, so that code mistaking it for a time or a duration shows. */
    private static final long NANOS_ORIGIN = 7_654_321_000_000_000L;

    private volatile Instant now;
    private volatile long nanos = NANOS_ORIGIN;

    public MutableClock(Instant start) {
        this.now = start;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    /** Time passes. */
    public synchronized void advance(Duration duration) {
        now = now.plus(duration);
        nanos += duration.toNanos();
    }

    /** The wall clock is set back (negative) or forward; no time passes. */
    public synchronized void stepWall(Duration step) {
        now = now.plus(step);
    }

    /** The wall clock is set to {@code instant}; no time passes. */
    public void set(Instant instant) {
        now = instant;
    }
}
