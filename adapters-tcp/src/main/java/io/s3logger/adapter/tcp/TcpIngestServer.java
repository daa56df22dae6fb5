package io.s3logger.adapter.tcp;

import com.sun.management.UnixOperatingSystemMXBean;
import io.s3logger.domain.model.LineBatch;
import io.s3logger.domain.model.status.ListenerStatus;
import io.s3logger.domain.port.in.IngestUseCase;
import io.s3logger.domain.port.out.ListenerStatusSource;
import io.s3logger.domain.text.Plural;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP (optionally TLS) listener of the wire protocol (docs/protocol.md): reads JSON objects
 * from any number of connections, one virtual thread each, and hands each read's complete objects
 * to the {@link IngestUseCase} as one {@link LineBatch}. It never writes application data to a
 * client (with TLS, only the TLS protocol's own records).
 *
 * <p>A connection whose stream breaks the protocol is closed after the objects before the offending
 * one have been handed over (one WARN line). A connection that ends in the middle of an object
 * loses only that object (INFO). Because {@link IngestUseCase#ingest} blocks while the writer is
 * behind, a connection stops being read and TCP flow control slows its client down.
 *
 * <p>Operator limits ({@link TcpSettings}): beyond {@code maxConnections} a new connection is
 * closed at once, unread; a connection silent for {@code idleTimeout} is closed, keeping what it
 * sent before. Memory follows activity: a connection that has been quiet for a second holds only a
 * small read buffer and no parser (docs/protocol.md, "Memory"). Everything beyond that small read
 * buffer is drawn from one {@link ConnectionMemoryBudget} for all connections before it is
 * allocated: a connection that cannot get what it needs is not read until it can, and past a
 * bounded wait the connections holding the most for the longest are closed.
 *
 * <p>Lifecycle: {@link #start()} once, then {@link #close()}; close stops accepting and reading,
 * and waits (bounded) until every connection has handed over what it had framed.
 */
public final class TcpIngestServer implements ListenerStatusSource, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TcpIngestServer.class);

    /** A quiet connection blocks in a read with this buffer; it doubles while reads fill it. */
    private static final int MIN_READ_BUFFER_BYTES = 2 * 1024;
    private static final int MAX_READ_BUFFER_BYTES = 64 * 1024;
    /** After this long without a byte, a connection gives back its grown buffers and its parser. */
    private static final Duration QUIET_AFTER = Duration.ofSeconds(1);
    /** Thousands of clients may connect at once, e.g. after a restart. */
    private static final int ACCEPT_BACKLOG = 1024;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** Marks a failed read, which then ends the connection like an end of stream. */
    private static final int READ_FAILED = -2;
    /** Back-off after a failed accept (e.g. out of file descriptors), so the loop does not spin. */
    private static final Duration ACCEPT_RETRY_PAUSE = Duration.ofMillis(100);
    /** Descriptors the rest of the process needs besides connections: spool, jars, logs, S3. */
    private static final long RESERVED_DESCRIPTORS = 256;
    /**
     * How long a connection waits for memory before others are closed to free it: long enough for
     * connections that are receiving large objects to finish them (at 10 MB/s a 4 MiB object takes
     * 0.4 s), short enough that clients stalled in the middle of large objects cannot hold the
     * budget and the clients waiting for it for long.
     */
    static final Duration MEMORY_WAIT = Duration.ofSeconds(5);

    private final TcpSettings settings;
    private final IngestUseCase ingest;
    private final TcpIngestStats stats = new TcpIngestStats();
    private final ConnectionMemoryBudget memory;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final NewPeerLog newPeers = new NewPeerLog(System::nanoTime);
    private final Object lifecycleLock = new Object();

    // Lifecycle state, written under lifecycleLock by start() and close().
    private volatile ServerSocket serverSocket;
    private volatile SSLSocketFactory tlsSockets;
    private volatile InetSocketAddress boundAddress;
    private volatile Thread acceptor;
    private volatile boolean closed;

    public TcpIngestServer(TcpSettings settings, IngestUseCase ingest) {
        this(settings, ingest, MEMORY_WAIT);
    }

    /** With another wait for memory, for tests. */
    TcpIngestServer(TcpSettings settings, IngestUseCase ingest, Duration memoryWait) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ingest = Objects.requireNonNull(ingest, "ingest");
        this.memory = new ConnectionMemoryBudget(settings.connectionMemoryBytes(), memoryWait, System::nanoTime);
    }

    /**
     * Loads the TLS material if configured, binds the listener and starts accepting connections.
     *
     * @throws TlsSetupException if a TLS certificate, key or CA file cannot be used (names the file)
     * @throws IOException if the address cannot be bound (in use, unknown host, ...); the message
     *     names the address
     * @throws IllegalStateException if already started or closed
     */
    public void start() throws IOException {
        synchronized (lifecycleLock) {
            if (serverSocket != null || closed) {
                throw new IllegalStateException("server already started or closed");
            }
            SSLSocketFactory tls = settings.tls().isPresent() ? TlsContextLoader.load(settings.tls().get()).getSocketFactory() : null;
            warnIfDescriptorsRunOutFirst(); // before binding: once bound, clients may connect at once
            ServerSocket socket = new ServerSocket();
            try {
                socket.bind(new InetSocketAddress(settings.host(), settings.port()), ACCEPT_BACKLOG);
                boundAddress = (InetSocketAddress) socket.getLocalSocketAddress();
            } catch (IOException e) {
                socket.close();
                // The JDK's message ("Address already in use") does not say which address.
                throw new IOException("cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                socket.close();
                throw e;
            }
            tlsSockets = tls;
            serverSocket = socket;
            acceptor = Thread.ofVirtual().name("tcp-accept " + boundAddress).start(() -> acceptLoop(socket));
            log.info("Listening for JSON objects on {} ({}, at most {} connections, idle timeout {}, connection memory {} MiB)",
                    boundAddress,
                    tls != null ? "TLS" + (settings.tls().get().clientCaFile().isPresent() ? " with client certificates" : "") : "plain TCP",
                    settings.maxConnections() == 0 ? "unlimited" : settings.maxConnections(),
                    settings.idleTimeout().map(Duration::toString).orElse("off"), memory.capacityBytes() / (1024 * 1024));
        }
    }

    /** The bound address, with the actual port if the settings asked for port 0. */
    public InetSocketAddress boundAddress() {
        InetSocketAddress address = boundAddress;
        if (address == null) {
            throw new IllegalStateException("server not started");
        }
        return address;
    }

    /** The counters, the open connections and the memory budget now; listening once started. */
    @Override
    public ListenerStatus listenerStatus() {
        return stats.snapshot(boundAddress != null, connections.size(), memory);
    }

    /**
     * Stops accepting, stops reading every connection (unread bytes are discarded), and waits up to
     * 10 s for connections to hand over the objects they had already framed. Idempotent.
     */
    @Override
    public void close() {
        synchronized (lifecycleLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (serverSocket == null) {
            return;
        }
        long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
        closeQuietly(serverSocket);
        try {
            // After the acceptor has ended, no connection can be added behind our back.
            joinUntil(acceptor, deadline);
            connections.forEach(Connection::stopReading);
            for (Connection connection : connections) {
                joinUntil(connection.thread, deadline);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!connections.isEmpty()) {
            log.warn("{} still handing over objects {} after close began", Plural.of(connections.size(), "connection", "connections"),
                    CLOSE_TIMEOUT);
        }
        log.info("Stopped listening on {}", boundAddress);
    }

    private void acceptLoop(ServerSocket server) {
        boolean refusing = false;
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                log.warn("Accepting a connection on {} failed: {}", boundAddress, e.toString());
                LockSupport.parkNanos(ACCEPT_RETRY_PAUSE.toNanos());
                continue;
            }
            if (settings.maxConnections() > 0 && connections.size() >= settings.maxConnections()) {
                if (!refusing) {
                    log.warn("Closing connection from {}: {} open, the maximum; until one closes, further"
                            + " connections are closed at once and only counted", socket.getRemoteSocketAddress(),
                            Plural.of(connections.size(), "connection is", "connections are"));
                }
                refusing = true;
                stats.refusedOverLimit();
                closeQuietly(socket);
                continue;
            }
            refusing = false;
            startConnection(socket);
        }
    }

    private void startConnection(Socket socket) {
        SocketAddress remote = socket.getRemoteSocketAddress();
        try {
            socket.setKeepAlive(true);
        } catch (IOException e) {
            log.debug("Connection from {} closed before it could be set up: {}", remote, e.toString());
            closeQuietly(socket);
            return;
        }
        Connection connection = new Connection(socket, remote);
        connections.add(connection);
        stats.connectionOpened();
        newPeers.connected(socket.getInetAddress()).ifPresent(log::info);
        connection.thread.start();
    }

    /** Without enough descriptors, accept fails for everyone (and spool files cannot be opened). */
    private void warnIfDescriptorsRunOutFirst() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os) {
            long usable = os.getMaxFileDescriptorCount() - RESERVED_DESCRIPTORS;
            if (settings.maxConnections() == 0 || settings.maxConnections() > usable) {
                log.warn("The open-files limit ({}) does not cover the connection limit ({}) plus {} for the rest of the program:"
                        + " raise it (ulimit -n, LimitNOFILE=) or lower the connection limit", os.getMaxFileDescriptorCount(),
                        settings.maxConnections() == 0 ? "unlimited" : settings.maxConnections(), RESERVED_DESCRIPTORS);
            }
        }
    }

    private static void joinUntil(Thread thread, long deadlineNanos) throws InterruptedException {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining > 0) {
            thread.join(Duration.ofNanos(remaining));
        }
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            log.debug("Closing {} failed: {}", closeable, e.toString());
        }
    }

    /** Milliseconds for {@link Socket#setSoTimeout}: never 0, which would mean forever. */
    private static int timeoutMillis(long nanos) {
        return (int) Math.clamp(TimeUnit.NANOSECONDS.toMillis(nanos + 999_999), 1, Integer.MAX_VALUE);
    }

    /** One client connection: reads, frames, hands over; never writes application data. */
    private final class Connection {

        private final Socket socket;
        private final SocketAddress remote;
        private final Thread thread;
        /** What this connection holds beyond its idle read buffer; closing the socket frees it. */
        private final ConnectionMemoryBudget.Account account;
        /** Set by {@link #stopReading()}: a failing read then means shutdown, not a client problem. */
        private volatile boolean stopping;

        Connection(Socket socket, SocketAddress remote) {
            this.socket = socket;
            this.remote = remote;
            this.thread = Thread.ofVirtual().name("tcp " + remote).unstarted(this::run);
            this.account = memory.open(() -> closeQuietly(socket));
        }

        void stopReading() {
            stopping = true;
            account.cancel();
            closeQuietly(socket);
        }

        private void run() {
            // The protocol's limits, from which ConnectionMemoryBudget.MIN_CAPACITY_BYTES is sized too.
            JsonObjectFramer framer = new JsonObjectFramer(FramingLimits.DEFAULT);
            try {
                Socket stream = tlsSockets == null ? socket : handshake();
                if (stream != null) {
                    try (stream) {
                        readUntilEnd(stream, stream.getInputStream(), framer);
                    }
                }
            } catch (IOException e) {
                if (stopping) {
                    stats.closedByShutdown(); // the server closed the socket under a read or a handshake
                } else {
                    stats.readFailed();
                    log.debug("Connection from {} failed: {}", remote, e.toString());
                }
            } finally {
                framer.close();
                closeQuietly(socket);
                account.close();
                connections.remove(this);
                stats.connectionClosed();
            }
        }

        /** The TLS socket after a successful handshake, or null if the connection is over. */
        private SSLSocket handshake() throws IOException {
            SSLSocket tls = (SSLSocket) tlsSockets.createSocket(socket, null, true);
            tls.setNeedClientAuth(settings.tls().orElseThrow().clientCaFile().isPresent());
            // A client may legitimately connect long before its first write (handshakes are lazy).
            tls.setSoTimeout(settings.idleTimeout().map(timeout -> timeoutMillis(timeout.toNanos())).orElse(0));
            try {
                tls.startHandshake();
                return tls;
            } catch (SocketTimeoutException e) {
                closedIdle("during the TLS handshake");
            } catch (IOException e) {
                if (stopping) {
                    throw e;
                }
                stats.tlsHandshakeFailed();
                log.warn("Closing connection from {}: TLS handshake failed: {}", remote, e.getMessage());
            }
            return null;
        }

        private void readUntilEnd(Socket stream, InputStream in, JsonObjectFramer framer) throws IOException {
            byte[] buffer = new byte[MIN_READ_BUFFER_BYTES];
            long offset = 0; // bytes read so far
            long lastByteAt = System.nanoTime();
            boolean quiet = true; // nothing to give back yet
            stream.setSoTimeout(quietTimeoutMillis(lastByteAt));
            while (true) {
                int read;
                try {
                    read = in.read(buffer);
                } catch (SocketTimeoutException e) {
                    if (settings.idleTimeout().isPresent()
                            && System.nanoTime() - lastByteAt >= settings.idleTimeout().get().toNanos()) {
                        boolean truncated = framer.endOfInput();
                        if (truncated) {
                            stats.truncated();
                        }
                        closedIdle(truncated ? "; the partial object was dropped" : "");
                        return;
                    }
                    if (!quiet) {
                        quiet = true;
                        buffer = giveBackMemory(buffer, framer);
                    }
                    stream.setSoTimeout(quietTimeoutMillis(lastByteAt));
                    continue;
                } catch (IOException e) {
                    if (account.evicted()) {
                        closedForMemory(framer, offset);
                        return;
                    }
                    if (stopping) {
                        throw e; // the server is closing: stop reading
                    }
                    log.debug("Reading from {} failed: {}", remote, e.toString());
                    stats.readFailed();
                    read = READ_FAILED;
                }
                if (read < 0) {
                    if (account.evicted()) {
                        closedForMemory(framer, offset);
                        return;
                    }
                    if (read != READ_FAILED) {
                        stats.closedByClient();
                    }
                    if (framer.endOfInput()) {
                        stats.truncated();
                        log.info("Connection from {} ended in the middle of an object; the partial object was dropped", remote);
                    }
                    return;
                }
                stats.received(read);
                offset += read;
                if (!memoryFor(buffer, framer, read)) {
                    closedForMemory(framer, offset);
                    return;
                }
                lastByteAt = System.nanoTime(); // after any wait: the server's wait is not the client's silence
                account.active();
                if (quiet) {
                    quiet = false;
                    stream.setSoTimeout(busyTimeoutMillis());
                }
                try {
                    framer.feed(buffer, 0, read);
                } catch (FramingException e) {
                    handOver(framer);
                    stats.rejected(e.reason());
                    log.warn("Closing connection from {}: {}", remote, e.getMessage());
                    return;
                }
                if (!handOver(framer)) {
                    stats.closedAfterLoss();
                    return;
                }
                account.releaseIfHalf(buffer.length - MIN_READ_BUFFER_BYTES + framer.bufferBytes());
                if (read == buffer.length && buffer.length < MAX_READ_BUFFER_BYTES
                        && account.tryEnsure(2 * buffer.length - MIN_READ_BUFFER_BYTES + framer.peakBytesFeeding(2 * buffer.length))) {
                    buffer = new byte[2 * buffer.length]; // more was probably waiting
                }
            }
        }

        /**
         * Takes from the budget what framing {@code read} bytes may allocate, before it does; waits
         * (not reading) while the budget is spent. False if this connection was chosen to be closed.
         */
        private boolean memoryFor(byte[] buffer, JsonObjectFramer framer, int read) throws IOException {
            try {
                if (account.ensure(buffer.length - MIN_READ_BUFFER_BYTES + framer.peakBytesFeeding(read))) {
                    return true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for memory");
            }
            if (stopping && !account.evicted()) {
                throw new SocketException("the server is closing"); // counted as closed by shutdown
            }
            return false;
        }

        /** The stream is quiet: shrinks the buffers to what a partial object needs, gives back the rest. */
        private byte[] giveBackMemory(byte[] buffer, JsonObjectFramer framer) {
            // Trimming copies what the framer holds, into at most half its buffer.
            if (account.tryEnsure(buffer.length - MIN_READ_BUFFER_BYTES + framer.bufferBytes() + framer.bufferBytes() / 2)) {
                framer.trim();
            }
            account.release(framer.bufferBytes());
            return buffer.length > MIN_READ_BUFFER_BYTES ? new byte[MIN_READ_BUFFER_BYTES] : buffer;
        }

        /** While busy: wake up when it is time to give memory back, or the idle timeout if sooner. */
        private int busyTimeoutMillis() {
            long quietAfter = QUIET_AFTER.toNanos();
            return timeoutMillis(settings.idleTimeout().map(t -> Math.min(t.toNanos(), quietAfter)).orElse(quietAfter));
        }

        /** While quiet: wake up only for the idle timeout, if there is one (0 = block forever). */
        private int quietTimeoutMillis(long lastByteAt) {
            return settings.idleTimeout()
                    .map(t -> timeoutMillis(t.toNanos() - (System.nanoTime() - lastByteAt)))
                    .orElse(0);
        }

        private void closedForMemory(JsonObjectFramer framer, long offset) {
            boolean truncated = framer.endOfInput();
            if (truncated) {
                stats.truncated();
            }
            stats.closedForMemory();
            log.warn("Closing connection from {}: the memory for all connections ({}) is spent, and this connection held {}"
                    + " of it with no byte read for {} ms; closed at byte offset {}{}", remote,
                    Plural.of(memory.capacityBytes(), "byte", "bytes"), Plural.of(account.heldWhenEvicted(), "byte", "bytes"),
                    account.heldForWhenEvicted().toMillis(), offset,
                    truncated ? "; the partial object was dropped" : "");
        }

        private void closedIdle(String detail) {
            stats.closedIdle();
            log.warn("Closing connection from {}: idle timeout, nothing received for {}{}", remote,
                    settings.idleTimeout().orElseThrow(), detail);
        }

        /** Hands over the framed lines, if any; false if ingestion refused them. */
        private boolean handOver(JsonObjectFramer framer) {
            if (!framer.hasLines()) {
                return true;
            }
            LineBatch batch = framer.takeBatch();
            account.handingOver(true);
            try {
                ingest.ingest(batch);
                stats.accepted(batch.lines());
                account.completedObjects();
                return true;
            } catch (IllegalStateException e) {
                lost(batch, "ingestion has shut down");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                lost(batch, "interrupted");
            } finally {
                account.handingOver(false);
            }
            return false;
        }

        private void lost(LineBatch batch, String why) {
            stats.lost(batch.lines());
            log.error("Lost {} from {} ({}); closing the connection", Plural.of(batch.lines(), "accepted object", "accepted objects"), remote, why);
        }
    }
}
