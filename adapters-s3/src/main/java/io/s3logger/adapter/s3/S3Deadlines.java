package io.s3logger.adapter.s3;

import java.time.Duration;
import java.util.Objects;

/**
 * How long S3 calls may take, so that a stalled or crawling store fails a call instead of holding
 * an uploader forever. A call that carries a body (a PutObject, a part) may take longer the larger
 * the body: its attempt timeout is {@code attemptTimeout + bytes / minThroughputBytesPerSecond}, so
 * a 512 MiB segment on a slow link is not cut off by a limit meant for small calls, while a store
 * slower than that throughput counts as failed and the delivery backoff takes over.
 *
 * <p>Retries: the SDK's <em>standard</em> retry strategy with {@value #MAX_ATTEMPTS} attempts, that
 * is one quick retry (after the strategy's jittered backoff of well under a second; longer when the
 * store throttles) of a call that failed with a retryable error. The program's own delivery backoff
 * retries a failed segment for as long as it runs, so the SDK's retries only smooth over a single
 * dropped connection or 500 on one part of a multipart upload (which would otherwise abort the
 * whole upload and start it again); more attempts would only multiply the time a stalled store
 * holds an uploader and hide failures from the delivery metrics.
 *
 * @param connectTimeout to open a TCP (and TLS) connection, and to wait for a pooled one
 * @param socketTimeout longest silence while reading a response
 * @param attemptTimeout one attempt of a call without a body (create, complete, abort, list,
 *     head), and the base of a call with one
 * @param minThroughputBytesPerSecond the slowest transfer a call with a body is given time for
 */
public record S3Deadlines(
        Duration connectTimeout, Duration socketTimeout, Duration attemptTimeout, long minThroughputBytesPerSecond) {

    /** One call and one retry: the SDK's standard strategy with this many attempts. */
    public static final int MAX_ATTEMPTS = 2;
    /** Room for the standard strategy's backoff before the retry (throttling: up to about 1 s base). */
    static final Duration RETRY_ALLOWANCE = Duration.ofSeconds(2);
    /** Aborting a multipart upload after a failure or an interrupt: one short attempt, best effort. */
    static final Duration ABORT_TIMEOUT = Duration.ofSeconds(5);

    /**
     * 10 s to connect, 30 s of silence, 30 s per attempt plus the time to send the body at 64 KiB/s
     * (half a megabit per second): a 16 MiB part may take 4 min 46 s, a 64 MiB object 17 min.
     */
    public static final S3Deadlines DEFAULT =
            new S3Deadlines(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(30), 64 * 1024);

    public S3Deadlines {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(socketTimeout, "socketTimeout");
        Objects.requireNonNull(attemptTimeout, "attemptTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero() || socketTimeout.isNegative()
                || socketTimeout.isZero() || attemptTimeout.isNegative() || attemptTimeout.isZero()
                || minThroughputBytesPerSecond <= 0) {
            throw new IllegalArgumentException("S3 deadlines must be positive: " + this);
        }
    }

    /** The time one attempt of a call carrying {@code bodyBytes} may take. */
    public Duration attemptTimeout(long bodyBytes) {
        // Bodies are at most 5 GiB (S3's limit), so the product cannot overflow.
        return attemptTimeout.plusMillis(bodyBytes * 1000L / minThroughputBytesPerSecond);
    }

    /** The time a call carrying {@code bodyBytes} may take, with its retry. */
    public Duration callTimeout(long bodyBytes) {
        return attemptTimeout(bodyBytes).multipliedBy(MAX_ATTEMPTS).plus(RETRY_ALLOWANCE);
    }
}
