package io.s3logger.adapter.tcp;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how the TCP listener accepts connections.
 *
 * @param host a host name or IP literal, e.g. {@code localhost}, {@code 0.0.0.0}, {@code ::1}
 * @param port 0 to 65535; 0 picks a free port (see {@link TcpIngestServer#boundAddress()})
 * @param maxConnections most connections open at once, 0 for no limit; a connection beyond it is
 *     closed at once without reading, established ones are unaffected
 * @param idleTimeout if present, a connection that sends no byte for this long is closed (objects
 *     completed before are kept); at least 1 ms
 * @param tls if present, the listener speaks TLS only; plain TCP otherwise
 * @param connectionMemoryBytes heap all connections together may hold beyond their idle read
 *     buffers (partial objects, grown buffers, batches waiting for the writer), at least {@link
 *     ConnectionMemoryBudget#MIN_CAPACITY_BYTES}; see {@link ConnectionMemoryBudget}
 * @param memoryWait how long a connection waits for memory before others are closed to free it:
 *     {@link #MEMORY_WAIT} but in tests, not a setting of the program
 */
public record TcpSettings(String host, int port, int maxConnections, Optional<Duration> idleTimeout, Optional<TlsSettings> tls,
        long connectionMemoryBytes, Duration memoryWait) {

    /**
     * Room for the 10,000 idle connections the listener is built to hold plus thousands of active
     * clients, yet below common open-file limits (20,000 to 65,536), so that the listener refuses
     * excess clients itself before descriptors run out for everyone, spool files included.
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 16_384;

    /**
     * How long a connection waits for memory before others are closed to free it: long enough for
     * connections that are receiving large objects to finish them (at 10 MB/s a 4 MiB object takes
     * 0.4 s), short enough that clients stalled in the middle of large objects cannot hold the
     * budget and the clients waiting for it for long.
     */
    static final Duration MEMORY_WAIT = Duration.ofSeconds(5);

    public TcpSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(memoryWait, "memoryWait");
        if (host.isBlank() || !host.strip().equals(host)) {
            throw new IllegalArgumentException("host must be a non-blank name or address without spaces: '" + host + "'");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        if (maxConnections < 0) {
            throw new IllegalArgumentException("maxConnections must be 0 (no limit) or positive: " + maxConnections);
        }
        idleTimeout.ifPresent(timeout -> {
            if (timeout.compareTo(Duration.ofMillis(1)) < 0) {
                throw new IllegalArgumentException("idleTimeout must be at least 1ms: " + timeout);
            }
        });
        if (connectionMemoryBytes < ConnectionMemoryBudget.MIN_CAPACITY_BYTES) {
            throw new IllegalArgumentException("connectionMemoryBytes must be at least "
                    + ConnectionMemoryBudget.MIN_CAPACITY_BYTES + ": " + connectionMemoryBytes);
        }
        if (memoryWait.isNegative()) {
            throw new IllegalArgumentException("memoryWait must not be negative: " + memoryWait);
        }
    }

    /** With the wait for memory of the program, {@link #MEMORY_WAIT}. */
    public TcpSettings(String host, int port, int maxConnections, Optional<Duration> idleTimeout, Optional<TlsSettings> tls,
            long connectionMemoryBytes) {
        this(host, port, maxConnections, idleTimeout, tls, connectionMemoryBytes, MEMORY_WAIT);
    }

    /** With the connection memory derived from this JVM's maximum heap, as if the ingest queue were empty. */
    public TcpSettings(String host, int port, int maxConnections, Optional<Duration> idleTimeout, Optional<TlsSettings> tls) {
        this(host, port, maxConnections, idleTimeout, tls,
                ConnectionMemoryBudget.defaultCapacityBytes(Runtime.getRuntime().maxMemory(), 0));
    }

    /** Plain TCP with the defaults: {@link #DEFAULT_MAX_CONNECTIONS}, no idle timeout, no TLS. */
    public TcpSettings(String host, int port) {
        this(host, port, DEFAULT_MAX_CONNECTIONS, Optional.empty(), Optional.empty());
    }

    /** The same with another wait for memory, so that tests need not wait {@link #MEMORY_WAIT}. */
    TcpSettings withMemoryWait(Duration wait) {
        return new TcpSettings(host, port, maxConnections, idleTimeout, tls, connectionMemoryBytes, wait);
    }
}
