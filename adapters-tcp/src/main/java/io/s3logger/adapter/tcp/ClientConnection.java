package io.s3logger.adapter.tcp;

import static io.s3logger.adapter.tcp.TcpIngestServer.closeQuietly;

import io.s3logger.domain.model.LineBatch;
import io.s3logger.domain.port.in.IngestUseCase;
import io.s3logger.domain.text.Plural;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection of the {@link TcpIngestServer}, on its own virtual thread: reads, frames,
 * hands over; never writes application data. It closes the connection on a protocol error or the
 * idle timeout, gives memory back when quiet, and draws everything beyond its small read buffer
 * from the listener's {@link ConnectionMemoryBudget}.
 */
final class ClientConnection {

    /** The listener's logger: its lines keep the logger name that operators' filters know. */
    private static final Logger log = LoggerFactory.getLogger(TcpIngestServer.class);

    /** A quiet connection blocks in a read with this buffer; it doubles while reads fill it. */
    private static final int MIN_READ_BUFFER_BYTES = 2 * 1024;
    private static final int MAX_READ_BUFFER_BYTES = 64 * 1024;
    /** After this long without a byte, a connection gives back its grown buffers and its parser. */
    private static final Duration QUIET_AFTER = Duration.ofSeconds(1);
    /** Marks a failed read, which then ends the connection like an end of stream. */
    private static final int READ_FAILED = -2;

    private final Socket socket;
    private final SocketAddress remote;
    private final TcpSettings settings;
    /** Null for plain TCP. */
    private final TlsHandshake tls;
    private final IngestUseCase ingest;
    private final TcpIngestStats stats;
    private final ConnectionMemoryBudget memory;
    private final Consumer<ClientConnection> ended;
    private final Thread thread;
    /** What this connection holds beyond its idle read buffer; closing the socket frees it. */
    private final ConnectionMemoryBudget.Account account;
    /** Set by {@link #stopReading()}: a failing read then means shutdown, not a client problem. */
    private volatile boolean stopping;

    /**
     * @param remote the client's address, for the thread's name and log lines
     * @param tls the handshake to begin with; null for plain TCP
     * @param ended told on the connection's thread once it has ended and given back what it held
     */
    ClientConnection(Socket socket, SocketAddress remote, TcpSettings settings, TlsHandshake tls, IngestUseCase ingest,
            TcpIngestStats stats, ConnectionMemoryBudget memory, Consumer<ClientConnection> ended) {
        this.socket = socket;
        this.remote = remote;
        this.settings = settings;
        this.tls = tls;
        this.ingest = ingest;
        this.stats = stats;
        this.memory = memory;
        this.ended = ended;
        this.thread = Thread.ofVirtual().name("tcp " + remote).unstarted(this::run);
        this.account = memory.open(() -> closeQuietly(socket));
    }

    /** Starts reading, on the connection's own virtual thread. */
    void start() {
        thread.start();
    }

    /** The connection's thread, to wait for its end after {@link #stopReading()}. */
    Thread thread() {
        return thread;
    }

    /** Closes the socket under a read or a wait for memory; what was framed is still handed over. */
    void stopReading() {
        stopping = true;
        account.cancel();
        closeQuietly(socket);
    }

    private void run() {
        // The protocol's limits, from which ConnectionMemoryBudget.MIN_CAPACITY_BYTES is sized too.
        JsonObjectFramer framer = new JsonObjectFramer(FramingLimits.DEFAULT);
        try {
            Socket stream = tls == null ? socket : handshake();
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
            ended.accept(this);
            stats.connectionClosed();
        }
    }

    /** The TLS socket after a successful handshake, or null if the connection is over. */
    private SSLSocket handshake() throws IOException {
        try {
            return tls.perform(socket, remote, () -> stopping);
        } catch (SocketTimeoutException e) {
            closedIdle("during the TLS handshake");
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

    /** Milliseconds for {@link Socket#setSoTimeout}: never 0, which would mean forever. */
    static int timeoutMillis(long nanos) {
        return (int) Math.clamp(TimeUnit.NANOSECONDS.toMillis(nanos + 999_999), 1, Integer.MAX_VALUE);
    }
}
