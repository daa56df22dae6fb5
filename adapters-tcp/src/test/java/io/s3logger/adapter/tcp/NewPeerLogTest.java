package io.s3logger.adapter.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class NewPeerLogTest {

    private final AtomicLong nanos = new AtomicLong(42);
    private final NewPeerLog log = new NewPeerLog(nanos::get);

    private static InetAddress peer(int n) throws Exception {
        return InetAddress.getByAddress(new byte[] {10, 0, (byte) (n >> 8), (byte) n});
    }

    private void advanceMillis(long millis) {
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Test
    void theFirstConnectionOfAPeerIsLoggedAtOnceAndItsNextOnesNever() throws Exception {
        assertThat(log.connected(peer(1))).contains("First connection from 10.0.0.1");
        advanceMillis(5_000);
        assertThat(log.connected(peer(1))).isEmpty();
    }

    @Test
    void atMostOneLineASecondCountingTheConnectionsNotLogged() throws Exception {
        assertThat(log.connected(peer(1))).isPresent();
        advanceMillis(999);
        assertThat(log.connected(peer(2))).isEmpty();
        assertThat(log.connected(peer(3))).isEmpty();
        advanceMillis(1);
        assertThat(log.connected(peer(4))).contains(
                "First connection from 10.0.0.4 (and 2 more connections from new peers not logged since the last such line)");
        advanceMillis(1_000);
        assertThat(log.connected(peer(2))).as("a suppressed peer gets its line later").contains("First connection from 10.0.0.2");
        advanceMillis(10);
        assertThat(log.connected(peer(5))).isEmpty();
        advanceMillis(1_000);
        assertThat(log.connected(peer(6))).contains("First connection from 10.0.0.6 (and 1 more connection from new peers not logged since the last such line)");
    }

    @Test
    void remembersABoundedNumberOfPeersForgettingTheLeastRecent() throws Exception {
        for (int n = 0; n <= NewPeerLog.REMEMBERED_PEERS; n++) {
            advanceMillis(1_000);
            assertThat(log.connected(peer(n))).isPresent();
        }
        advanceMillis(1_000);
        assertThat(log.connected(peer(NewPeerLog.REMEMBERED_PEERS))).as("recent: remembered").isEmpty();
        assertThat(log.connected(peer(0))).as("the oldest was forgotten").isPresent();
    }
}
