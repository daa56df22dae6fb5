package io.s3logger.domain.model.status;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The receiving stage at one moment, as the driving adapter (the TCP listener) counts it: its
 * connections, what it read and framed, what it refused, and the memory its connections hold.
 * Counters count since start and only grow.
 *
 * @param listening whether the listener has been bound
 * @param connectionsOpened connections accepted (not counting those refused over the limit)
 * @param connectionsOpen connections accepted and not yet closed, now
 * @param closes connections closed, in total and by the reason that is neither a protocol
 *     violation nor a failed TLS handshake
 * @param protocolViolations connections closed because their stream broke the protocol, by reason
 *     (its label, lower case), in the order of the reasons; each also rejected one object
 * @param tlsHandshakesFailed TLS connections closed because their handshake failed
 * @param refusedOverLimit connections closed unread because the connection limit was reached
 * @param objectsAccepted complete objects framed and handed to ingestion
 * @param bytesReceived bytes read from clients
 * @param truncatedObjects partial objects dropped because their connection ended in them
 * @param objectsRefused complete objects that ingestion refused (shut down or interrupted)
 * @param memory the connections' memory budget
 */
public record ListenerStatus(
        boolean listening,
        long connectionsOpened,
        int connectionsOpen,
        Closes closes,
        Map<String, Long> protocolViolations,
        long tlsHandshakesFailed,
        long refusedOverLimit,
        long objectsAccepted,
        long bytesReceived,
        long truncatedObjects,
        long objectsRefused,
        ConnectionMemory memory) {

    public ListenerStatus {
        Objects.requireNonNull(closes, "closes");
        Objects.requireNonNull(memory, "memory");
        protocolViolations = Collections.unmodifiableMap(new LinkedHashMap<>(protocolViolations));
    }

    /**
     * Connections closed: all of them, and those closed for each reason other than a protocol
     * violation or a failed handshake.
     *
     * @param total every close
     * @param byClient the client ended the stream
     * @param readFailed the read failed (reset by the peer, broken network)
     * @param idle nothing was sent for the idle timeout
     * @param byShutdown still open when the listener was closed
     * @param forMemory chosen to free the connections' memory
     * @param afterRefusal ingestion refused what they sent
     */
    public record Closes(long total, long byClient, long readFailed, long idle, long byShutdown, long forMemory,
            long afterRefusal) {}

    /**
     * The memory all connections together may hold.
     *
     * @param usedBytes held now
     * @param capacityBytes the budget
     * @param waitingConnections connections not read now because the budget is spent
     */
    public record ConnectionMemory(long usedBytes, long capacityBytes, int waitingConnections) {}
}
