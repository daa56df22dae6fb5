package io.s3logger.adapter.tcp;

import com.fasterxml.jackson.core.JsonFactory;
import io.s3logger.domain.model.LineBatch;
import io.s3logger.domain.port.in.IngestUseCase;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plain-TCP listener of the wire protocol (docs/protocol.md): reads JSON objects from any
 * number of connections, one virtual thread each, and hands each read's complete objects to the
 * {@link IngestUseCase} as one {@link LineBatch}. It never writes a byte to a client.
 *
 * <p>A connection whose stream breaks the protocol is closed after the objects before the offending
 * one have been handed over (one WARN line). A connection that ends in the middle of an object
 * loses only that object (INFO). Because {@link IngestUseCase#ingest} blocks while the writer is
 * behind, a connection stops being read and TCP flow control slows its client down.
 *
 * <p>Lifecycle: {@link #start()} once, then {@link #close()}; close stops accepting and reading,
 * and waits (bounded) until every connection has handed over what it had framed.
 */
public final class TcpIngestServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TcpIngestServer.class);

    private static final int READ_BUFFER_BYTES = 64 * 1024;
    /** Thousands of clients may connect at once, e.g. after a restart. */
    private static final int ACCEPT_BACKLOG = 1024;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** Back-off after a failed accept (e.g. out of file descriptors), so the loop does not spin. */
    private static final Duration ACCEPT_RETRY_PAUSE = Duration.ofMillis(100);

    private final TcpSettings settings;
    private final IngestUseCase ingest;
    private final JsonFactory jsonFactory = JsonObjectFramer.newJsonFactory();
    private final TcpIngestStats stats = new TcpIngestStats();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final Object lifecycleLock = new Object();

    // Lifecycle state, written under lifecycleLock by start() and close().
    private volatile ServerSocketChannel serverChannel;
    private volatile InetSocketAddress boundAddress;
    private volatile Thread acceptor;
    private volatile boolean closed;

    public TcpIngestServer(TcpSettings settings, IngestUseCase ingest) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ingest = Objects.requireNonNull(ingest, "ingest");
    }

    /**
     * Binds the listener and starts accepting connections.
     *
     * @throws IOException if the address cannot be bound (in use, unknown host, ...)
     * @throws IllegalStateException if already started or closed
     */
    public void start() throws IOException {
        synchronized (lifecycleLock) {
            if (serverChannel != null || closed) {
                throw new IllegalStateException("server already started or closed");
            }
            ServerSocketChannel channel = ServerSocketChannel.open();
            try {
                channel.bind(new InetSocketAddress(settings.host(), settings.port()), ACCEPT_BACKLOG);
                boundAddress = (InetSocketAddress) channel.getLocalAddress();
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            serverChannel = channel;
            acceptor = Thread.ofVirtual().name("tcp-accept " + boundAddress).start(() -> acceptLoop(channel));
            log.info("Listening for JSON objects on {}", boundAddress);
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

    public TcpIngestStats stats() {
        return stats;
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
        if (serverChannel == null) {
            return;
        }
        long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
        closeQuietly(serverChannel);
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
            log.warn("{} connections still handing over objects {} after close began", connections.size(), CLOSE_TIMEOUT);
        }
        log.info("Stopped listening on {}", boundAddress);
    }

    private void acceptLoop(ServerSocketChannel server) {
        while (!closed) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                log.warn("Accepting a connection on {} failed: {}", boundAddress, e.toString());
                LockSupport.parkNanos(ACCEPT_RETRY_PAUSE.toNanos());
                continue;
            }
            startConnection(channel);
        }
    }

    private void startConnection(SocketChannel channel) {
        SocketAddress remote;
        try {
            channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            remote = channel.getRemoteAddress();
        } catch (IOException e) {
            log.debug("Connection closed before it could be set up: {}", e.toString());
            closeQuietly(channel);
            return;
        }
        Connection connection = new Connection(channel, remote);
        connections.add(connection);
        stats.connectionOpened();
        connection.thread.start();
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

    /** One client connection: reads, frames, hands over; never writes. */
    private final class Connection {

        private final SocketChannel channel;
        private final SocketAddress remote;
        private final Thread thread;

        Connection(SocketChannel channel, SocketAddress remote) {
            this.channel = channel;
            this.remote = remote;
            this.thread = Thread.ofVirtual().name("tcp " + remote).unstarted(this::run);
        }

        void stopReading() {
            closeQuietly(channel);
        }

        private void run() {
            try (channel; JsonObjectFramer framer = new JsonObjectFramer(jsonFactory)) {
                readUntilEnd(framer);
            } catch (IOException e) {
                log.debug("Closing connection from {} failed: {}", remote, e.toString());
            } finally {
                connections.remove(this);
                stats.connectionClosed();
            }
        }

        private void readUntilEnd(JsonObjectFramer framer) {
            byte[] buffer = new byte[READ_BUFFER_BYTES];
            ByteBuffer byteBuffer = ByteBuffer.wrap(buffer);
            while (true) {
                byteBuffer.clear();
                int read;
                try {
                    read = channel.read(byteBuffer);
                } catch (ClosedChannelException e) {
                    return; // the server is closing: stop reading
                } catch (IOException e) {
                    log.debug("Reading from {} failed: {}", remote, e.toString());
                    read = -1;
                }
                if (read < 0) {
                    if (framer.endOfInput()) {
                        stats.truncated();
                        log.info("Connection from {} ended in the middle of an object; the partial object was dropped", remote);
                    }
                    return;
                }
                stats.received(read);
                try {
                    framer.feed(buffer, 0, read);
                } catch (FramingException e) {
                    handOver(framer);
                    stats.rejected(e.reason());
                    log.warn("Closing connection from {}: {}", remote, e.getMessage());
                    return;
                }
                if (!handOver(framer)) {
                    return;
                }
            }
        }

        /** Hands over the framed lines, if any; false if ingestion refused them. */
        private boolean handOver(JsonObjectFramer framer) {
            if (!framer.hasLines()) {
                return true;
            }
            LineBatch batch = framer.takeBatch();
            try {
                ingest.ingest(batch);
                stats.accepted(batch.lines());
                return true;
            } catch (IllegalStateException e) {
                lost(batch, "ingestion has shut down");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                lost(batch, "interrupted");
            }
            return false;
        }

        private void lost(LineBatch batch, String why) {
            stats.lost(batch.lines());
            log.error("Lost {} accepted objects from {} ({}); closing the connection", batch.lines(), remote, why);
        }
    }
}
