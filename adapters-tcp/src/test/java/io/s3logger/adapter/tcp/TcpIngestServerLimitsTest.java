package io.s3logger.adapter.tcp;

import static io.s3logger.adapter.tcp.ClientSockets.assertServerClosedWithoutWriting;
import static io.s3logger.adapter.tcp.ClientSockets.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The operator's limits: connection maximum, idle timeout, and a prompt close despite silent clients. */
class TcpIngestServerLimitsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @RegisterExtension
    final ListenerFixture fixture = new ListenerFixture(PATIENCE);

    @Test
    void connectionBeyondTheMaximumIsClosedAtOnceWhileTheFirstOnesKeepWorking() throws Exception {
        CollectingIngest ingest = CollectingIngest.accepting();
        TcpIngestServer server = fixture.started(new TcpSettings("127.0.0.1", 0, 3, Optional.empty(), Optional.empty()), ingest);
        List<Socket> admitted = List.of(fixture.connect(server), fixture.connect(server), fixture.connect(server));
        await().atMost(PATIENCE).until(() -> server.listenerStatus().connectionsOpen() == 3);

        Socket excess = fixture.connect(server);
        send(excess, "{\"excess\":1}\n");
        assertServerClosedWithoutWriting(excess);
        assertThat(server.listenerStatus().refusedOverLimit()).isEqualTo(1);

        for (int i = 0; i < admitted.size(); i++) {
            send(admitted.get(i), "{\"admitted\":" + i + "}\n");
        }
        await().atMost(PATIENCE).until(() -> ingest.lines().size() == 3);
        assertThat(ingest.lines()).containsExactlyInAnyOrder("{\"admitted\":0}", "{\"admitted\":1}", "{\"admitted\":2}");

        admitted.get(0).close(); // frees a place
        await().atMost(PATIENCE).until(() -> server.listenerStatus().connectionsOpen() == 2);
        Socket later = fixture.connect(server);
        send(later, "{\"later\":1}\n");
        await().atMost(PATIENCE).until(() -> ingest.lines().contains("{\"later\":1}"));
        assertThat(server.listenerStatus().refusedOverLimit()).isEqualTo(1);
        assertThat(server.listenerStatus().connectionsOpened()).isEqualTo(4);
    }

    @Test
    void idleTimeoutClosesOnlyTheIdleConnectionAndKeepsWhatItSent() throws Exception {
        CollectingIngest ingest = CollectingIngest.accepting();
        Duration idleTimeout = Duration.ofMillis(400);
        TcpIngestServer server = fixture.started(new TcpSettings("127.0.0.1", 0, 0, Optional.of(idleTimeout), Optional.empty()), ingest);
        Socket active = fixture.connect(server);
        Socket idle = fixture.connect(server);
        send(idle, "{\"idle\":1}\n{\"idle\":\"partial");
        AtomicInteger sent = new AtomicInteger();
        try (ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor()) {
            // Load generation: the active client sends well within the timeout until the idle one is gone.
            ticker.scheduleAtFixedRate(() -> {
                try {
                    send(active, "{\"active\":" + sent.getAndIncrement() + "}\n");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, 0, 50, TimeUnit.MILLISECONDS);
            assertServerClosedWithoutWriting(idle);
            await().atMost(PATIENCE).until(() -> server.listenerStatus().closes().idle() == 1);
            int before = sent.get();
            await().atMost(PATIENCE).until(() -> sent.get() > before + 10); // past another full timeout
            ticker.shutdownNow();
        }
        int total = sent.get();
        await().atMost(PATIENCE).until(() -> ingest.lines().stream().filter(l -> l.startsWith("{\"active\"")).count() == total);
        assertThat(ingest.lines()).contains("{\"idle\":1}");
        assertThat(server.listenerStatus().closes().idle()).isEqualTo(1);
        assertThat(server.listenerStatus().closes().total()).isEqualTo(1);
        assertThat(server.listenerStatus().connectionsOpen()).isEqualTo(1);
    }

    @Test
    void silentClientDoesNotHoldUpClose() throws Exception {
        TcpIngestServer server = fixture.started(new TcpSettings("127.0.0.1", 0), CollectingIngest.accepting());
        Socket silent = fixture.connect(server);
        await().atMost(PATIENCE).until(() -> server.listenerStatus().connectionsOpen() == 1);

        Thread closer = Thread.ofVirtual().start(server::close);
        closer.join(Duration.ofSeconds(30));
        assertThat(closer.isAlive()).as("close still running after 30 s").isFalse();
        assertServerClosedWithoutWriting(silent);
        assertThat(server.listenerStatus().closes().byShutdown()).isEqualTo(1);
        assertThat(server.listenerStatus().connectionsOpen()).isZero();
    }

    @Test
    void settingsAreValidated() {
        TcpSettings defaults = new TcpSettings("localhost", 8080);
        assertThat(defaults.maxConnections()).isEqualTo(TcpSettings.DEFAULT_MAX_CONNECTIONS).isGreaterThan(10_000);
        assertThat(defaults.idleTimeout()).isEmpty();
        assertThat(defaults.tls()).isEmpty();
        assertThat(defaults.memoryWait()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.withMemoryWait(Duration.ofMillis(300))).isEqualTo(new TcpSettings("localhost", 8080, defaults.maxConnections(),
                Optional.empty(), Optional.empty(), defaults.connectionMemoryBytes(), Duration.ofMillis(300)));
        assertThat(new TcpSettings("::1", 0, 0, Optional.of(Duration.ofMillis(1)), Optional.empty()).maxConnections()).isZero();
        assertThatThrownBy(() -> new TcpSettings("localhost", 1, -1, Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxConnections");
        assertThatThrownBy(() -> new TcpSettings("localhost", 1, 1, Optional.of(Duration.ZERO), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idleTimeout");
        assertThatThrownBy(() -> new TcpSettings("localhost", 1, 1, Optional.of(Duration.ofSeconds(-1)), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TcpSettings("localhost", 1, 1, null, Optional.empty())).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new TcpSettings("localhost", 1, 1, Optional.empty(), null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> defaults.withMemoryWait(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> defaults.withMemoryWait(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("memoryWait");
    }
}
