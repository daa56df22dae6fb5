package io.s3logger.domain.service;

import java.time.Duration;
import java.util.Objects;

/**
 * Every retry and wait of the core, in one place, built once from the settings: how failed
 * uploads back off, how often a failing spool is tried again, and how long a stop waits, past its
 * deadline, for the threads it interrupted. All of them are measured on the monotonic clock.
 *
 * @param upload backoff between the attempts of a failed upload ({@code retry-initial}, {@code retry-max})
 * @param spoolRetry pause between attempts while writing to the spool fails or the spool is over its cap
 * @param stopGrace how long a stop waits for interrupted threads (the writer, uploads) before it
 *     leaves them behind; the shutdown deadline plus this is the bound on a stop
 */
public record RetryTiming(Backoff upload, Duration spoolRetry, Duration stopGrace) {

    /** The spool is retried every second: often enough to resume soon, rarely enough not to flood the log. */
    public static final Duration SPOOL_RETRY = Duration.ofSeconds(1);
    /** An interrupted upload or write normally ends within milliseconds. */
    public static final Duration STOP_GRACE = Duration.ofMillis(500);

    public RetryTiming {
        Objects.requireNonNull(upload, "upload");
        requirePositive(spoolRetry, "spoolRetry");
        requirePositive(stopGrace, "stopGrace");
    }

    /** The program's timing, with the upload backoff from the settings. */
    public static RetryTiming withUploadBackoff(Backoff upload) {
        return new RetryTiming(upload, SPOOL_RETRY, STOP_GRACE);
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
    }
}
