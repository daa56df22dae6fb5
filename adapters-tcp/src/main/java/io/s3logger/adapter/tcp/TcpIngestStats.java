package io.s3logger.adapter.tcp;

import io.s3logger.adapter.tcp.FramingException.Reason;
import io.s3logger.domain.model.status.ListenerStatus;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one {@link TcpIngestServer}; thread-safe, monotonic, read as one {@link
 * ListenerStatus} (whose components say what each counts).
 */
final class TcpIngestStats {

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
