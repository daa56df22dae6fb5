package io.s3logger.adapter.tcp;

import io.s3logger.domain.text.Plural;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Decides which connections are worth an INFO line: the first from each peer address, at most one
 * line per second, so that a new user sees their client arrive at once while a fleet reconnecting
 * after a restart writes one line a second. A suppressed peer is not marked as seen: its next
 * connection after the pause gets its line. The set of peers seen is an LRU of
 * {@link #REMEMBERED_PEERS} addresses; thread-safe.
 */
final class NewPeerLog {

    static final int REMEMBERED_PEERS = 4096;
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final LongSupplier nanoTime;
    private final Map<InetAddress, Boolean> seen = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Boolean> eldest) {
            return size() > REMEMBERED_PEERS;
        }
    };
    private boolean logged;
    private long lastLineAt;
    private long suppressed;

    NewPeerLog(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** The line to log for a connection from {@code peer}, if it is the first from there and a line is due. */
    synchronized Optional<String> connected(InetAddress peer) {
        if (seen.get(peer) != null) {
            return Optional.empty();
        }
        long now = nanoTime.getAsLong();
        if (logged && now - lastLineAt < INTERVAL_NANOS) {
            suppressed++;
            return Optional.empty();
        }
        seen.put(peer, Boolean.TRUE);
        logged = true;
        lastLineAt = now;
        String line = "First connection from " + peer.getHostAddress()
                + (suppressed == 0 ? "" : " (and " + Plural.of(suppressed, "more connection", "more connections")
                        + " from new peers not logged since the last such line)");
        suppressed = 0;
        return Optional.of(line);
    }
}
