package io.s3logger.adapter.tcp;

import io.s3logger.adapter.tcp.FramingException.Reason;
import io.s3logger.domain.model.status.ListenerStatus;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one {@link TcpIngestServer}; thread-safe, monotonic, for export as metrics. */
public final class TcpIngestStats {

    private final LongAdder connectionsOpened = new LongAdder();
    private final LongAdder connectionsClosed = new LongAdder();
    private final Map<Reason, LongAdder> rejections = new EnumMap<>(Reason.class);
    private final LongAdder objectsAccepted = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder truncatedObjects = new LongAdder();
    private final LongAdder objectsLost = new LongAdder();
    private final LongAdder refusedOverLimit = new LongAdder();
    private final LongAdder closedIdle = new LongAdder();
    private final LongAdder closedByShutdown = new LongAdder();
    private final LongAdder closedForMemory = new LongAdder();
    private final LongAdder tlsHandshakesFailed = new LongAdder();
    private final LongAdder closedByClient = new LongAdder();
    private final LongAdder readsFailed = new LongAdder();
    private final LongAdder closedAfterLoss = new LongAdder();

    TcpIngestStats() {
        for (Reason reason : Reason.values()) {
            rejections.put(reason, new LongAdder());
        }
    }

    /**
     * The counters now, with the listener's state and its connections' memory: sums the adders,
     * takes no lock.
     */
    ListenerStatus snapshot(boolean listening, int connectionsOpen, ConnectionMemoryBudget memory) {
        Map<String, Long> violations = new LinkedHashMap<>();
        for (Reason reason : Reason.values()) {
            violations.put(reason.name().toLowerCase(Locale.ROOT), rejections.get(reason).sum());
        }
        return new ListenerStatus(listening, connectionsOpened.sum(), connectionsOpen,
                new ListenerStatus.Closes(connectionsClosed.sum(), closedByClient.sum(), readsFailed.sum(), closedIdle.sum(),
                        closedByShutdown.sum(), closedForMemory.sum(), closedAfterLoss.sum()),
                violations, tlsHandshakesFailed.sum(), refusedOverLimit.sum(), objectsAccepted.sum(), bytesReceived.sum(),
                truncatedObjects.sum(), objectsLost.sum(),
                new ListenerStatus.ConnectionMemory(memory.usedBytes(), memory.capacityBytes(), memory.waitingConnections()));
    }

    public long connectionsOpened() {
        return connectionsOpened.sum();
    }

    public long connectionsClosed() {
        return connectionsClosed.sum();
    }

    /** Connections closed because their stream broke the protocol for {@code reason}. */
    public long connectionsRejected(Reason reason) {
        return rejections.get(reason).sum();
    }

    /** Objects framed and handed to the ingest use case. */
    public long objectsAccepted() {
        return objectsAccepted.sum();
    }

    public long bytesReceived() {
        return bytesReceived.sum();
    }

    /** Partial objects dropped because their connection ended in the middle of them. */
    public long truncatedObjects() {
        return truncatedObjects.sum();
    }

    /** Complete objects the ingest use case refused (shut down or interrupted); logged at ERROR. */
    public long objectsLost() {
        return objectsLost.sum();
    }

    /**
     * Connections closed at once, unread, because {@link TcpSettings#maxConnections()} were already
     * open; not counted as opened or closed.
     */
    public long connectionsRefusedOverLimit() {
        return refusedOverLimit.sum();
    }

    /** Connections closed because they sent nothing for {@link TcpSettings#idleTimeout()}. */
    public long connectionsClosedIdle() {
        return closedIdle.sum();
    }

    /** Connections still open when the server was closed, and closed by it. */
    public long connectionsClosedByShutdown() {
        return closedByShutdown.sum();
    }

    /**
     * Connections closed because the memory for all connections was spent and they held the most
     * of it for the longest ({@link ConnectionMemoryBudget}).
     */
    public long connectionsClosedForMemory() {
        return closedForMemory.sum();
    }

    /**
     * TLS connections closed because the handshake failed: not TLS (e.g. plain text), no or an
     * untrusted client certificate, no common protocol or cipher suite.
     */
    public long tlsHandshakesFailed() {
        return tlsHandshakesFailed.sum();
    }

    /** Connections the client ended (end of stream), at an object boundary or in the middle of one. */
    public long connectionsClosedByClient() {
        return closedByClient.sum();
    }

    /** Connections whose read failed (reset by the peer, broken network); treated as an end of stream. */
    public long connectionsReadFailed() {
        return readsFailed.sum();
    }

    /** Connections closed because ingestion refused what they sent ({@link #objectsLost()}). */
    public long connectionsClosedAfterLoss() {
        return closedAfterLoss.sum();
    }

    void closedByClient() {
        closedByClient.increment();
    }

    void closedAfterLoss() {
        closedAfterLoss.increment();
    }

    void readFailed() {
        readsFailed.increment();
    }

    void refusedOverLimit() {
        refusedOverLimit.increment();
    }

    void closedIdle() {
        closedIdle.increment();
    }

    void closedByShutdown() {
        closedByShutdown.increment();
    }

    void closedForMemory() {
        closedForMemory.increment();
    }

    void tlsHandshakeFailed() {
        tlsHandshakesFailed.increment();
    }

    void connectionOpened() {
        connectionsOpened.increment();
    }

    void connectionClosed() {
        connectionsClosed.increment();
    }

    void rejected(Reason reason) {
        rejections.get(reason).increment();
    }

    void accepted(int objects) {
        objectsAccepted.add(objects);
    }

    void received(int bytes) {
        bytesReceived.add(bytes);
    }

    void truncated() {
        truncatedObjects.increment();
    }

    void lost(int objects) {
        objectsLost.add(objects);
    }
}
