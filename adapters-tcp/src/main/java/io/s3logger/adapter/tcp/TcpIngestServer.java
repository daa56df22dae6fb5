package io.s3logger.adapter.tcp;

import com.sun.management.UnixOperatingSystemMXBean;
import io.s3logger.domain.model.LineBatch;
import io.s3logger.domain.model.status.ListenerStatus;
import io.s3logger.domain.port.in.IngestUseCase;
import io.s3logger.domain.port.out.ListenerStatusSource;
import io.s3logger.domain.text.Plural;
import java.io.Closeable;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
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

    /** Thousands of clients may connect at once, e.g. after a restart. */
    private static final int ACCEPT_BACKLOG = 1024;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** Back-off after a failed accept (e.g. out of file descriptors), so the loop does not spin. */
    private static final Duration ACCEPT_RETRY_PAUSE = Duration.ofMillis(100);
    /** Descriptors the rest of the process needs besides connections: spool, jars, logs, S3. */
    private static final long RESERVED_DESCRIPTORS = 256;

    private final TcpSettings settings;
    private final IngestUseCase ingest;
    private final TcpIngestStats stats = new TcpIngestStats();
    private final ConnectionMemoryBudget memory;
    private final Set<ClientConnection> connections = ConcurrentHashMap.newKeySet();
    private final NewPeerLog newPeers = new NewPeerLog(System::nanoTime);
    private final Object lifecycleLock = new Object();

    // Lifecycle state, written under lifecycleLock by start() and close().
    private volatile ServerSocket serverSocket;
    private volatile TlsHandshake tlsHandshake;
    private volatile InetSocketAddress boundAddress;
    private volatile Thread acceptor;
    private volatile boolean closed;

    public TcpIngestServer(TcpSettings settings, IngestUseCase ingest) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ingest = Objects.requireNonNull(ingest, "ingest");
        this.memory = new ConnectionMemoryBudget(settings.connectionMemoryBytes(), settings.memoryWait(), System::nanoTime);
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
            tlsHandshake = tls == null ? null : new TlsHandshake(tls, settings, stats);
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
            connections.forEach(ClientConnection::stopReading);
            for (ClientConnection connection : connections) {
                joinUntil(connection.thread(), deadline);
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
        ClientConnection connection = new ClientConnection(socket, remote, settings, tlsHandshake, ingest, stats, memory,
                connections::remove);
        connections.add(connection);
        stats.connectionOpened();
        newPeers.connected(socket.getInetAddress()).ifPresent(log::info);
        connection.start();
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

    static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            log.debug("Closing {} failed: {}", closeable, e.toString());
        }
    }
}
