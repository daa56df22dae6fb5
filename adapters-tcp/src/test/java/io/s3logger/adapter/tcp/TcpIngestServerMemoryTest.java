package io.s3logger.adapter.tcp;

import static io.s3logger.adapter.tcp.ClientSockets.assertServerClosedWithoutWriting;
import static io.s3logger.adapter.tcp.ClientSockets.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.s3logger.domain.model.status.ListenerStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory budget for all connections with real sockets: clients stalled in the middle of large
 * objects wait or are closed, an ordinary client keeps being served, and whatever way a connection
 * ends, what it held comes back.
 */
class TcpIngestServerMemoryTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final long BUDGET = ConnectionMemoryBudget.MIN_CAPACITY_BYTES; // 24 MiB
    private static final int PARTIAL_BYTES = 3 * 1024 * 1024;

    @RegisterExtension
    final ListenerFixture fixture = new ListenerFixture(PATIENCE);

    @TempDir
    Path dir;

    private TcpIngestServer started(Optional<Duration> idleTimeout, Optional<TlsSettings> tls, Duration memoryWait,
            CollectingIngest ingest) throws IOException {
        return fixture.started(new TcpSettings("127.0.0.1", 0, 0, idleTimeout, tls, BUDGET).withMemoryWait(memoryWait), ingest);
    }

    @Test
    void stalledClientsWithLargePartialObjectsWaitWhileAnOrdinaryClientIsServed() throws Exception {
        CollectingIngest ingest = CollectingIngest.accepting();
        TcpIngestServer server = started(Optional.empty(), Optional.empty(), Duration.ofSeconds(2), ingest);
        List<Socket> stalled = new ArrayList<>();
        for (int i = 0; i < 16; i++) { // 16 x 3 MiB: twice the budget
            Socket socket = fixture.connect(server);
            stalled.add(socket);
            sendInBackground(socket, partialObject(PARTIAL_BYTES));
        }
        await().atMost(PATIENCE).until(() -> memory(server).waitingConnections() > 0 && memory(server).waitingConnections() + heldByStalled(memory(server)) >= 16);
        assertThat(memory(server).usedBytes()).isLessThanOrEqualTo(BUDGET);

        Socket ordinary = fixture.connect(server);
        for (int i = 0; i < 200; i++) {
            send(ordinary, "{\"ordinary\":" + i + ",\"text\":\"" + "x".repeat(200) + "\"}\n");
        }
        await().atMost(PATIENCE).until(() -> ingest.lines().size() == 200);
        assertThat(ingest.lines()).allMatch(line -> line.startsWith("{\"ordinary\":"));
        assertThat(memory(server).usedBytes()).isLessThanOrEqualTo(BUDGET);

        for (Socket socket : stalled) {
            socket.close();
        }
        ordinary.close();
        // Waiting connections are not read: they find their clients gone when they get memory or are closed.
        await().atMost(PATIENCE).until(() -> server.listenerStatus().connectionsOpen() == 0);
        assertThat(memory(server).usedBytes()).isZero();
        assertThat(memory(server).waitingConnections()).isZero();
        assertThat(server.listenerStatus().truncatedObjects()).isEqualTo(16);
    }

    @Test
    void pastTheWaitStalledClientsAreClosedAndALargeObjectGetsThrough() throws Exception {
        CollectingIngest ingest = CollectingIngest.accepting();
        TcpIngestServer server = started(Optional.empty(), Optional.empty(), Duration.ofMillis(300), ingest);
        List<Socket> stalled = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Socket socket = fixture.connect(server);
            stalled.add(socket);
            sendInBackground(socket, partialObject(PARTIAL_BYTES));
        }
        // They cannot all have their objects at once: some are closed until the rest hold the budget, stalled.
        await().atMost(PATIENCE).until(() -> server.listenerStatus().closes().forMemory() > 0
                && server.listenerStatus().memory().waitingConnections() == 0);

        Socket large = fixture.connect(server);
        byte[] object = completeObject(FramingLimits.DEFAULT.maxObjectBytes());
        sendInBackground(large, object);
        await().atMost(PATIENCE).until(() -> ingest.lines().size() == 1);
        assertThat(ingest.lines().getFirst()).hasSize(object.length - 1); // without its '\n'
        assertThat(server.listenerStatus().closes().forMemory()).isPositive();
        int closed = 0;
        for (Socket socket : stalled) {
            if (socket.isClosed()) {
                continue;
            }
            socket.setSoTimeout(1);
            try {
                socket.getInputStream().read();
                closed++; // end of stream: the server closed it
            } catch (java.net.SocketTimeoutException stillOpen) {
                // not chosen
            } catch (java.net.SocketException reset) {
                closed++;
            }
        }
        assertThat((long) closed).isEqualTo(server.listenerStatus().closes().forMemory());

        for (Socket socket : stalled) {
            socket.close();
        }
        large.close();
        await().atMost(PATIENCE).until(() -> server.listenerStatus().connectionsOpen() == 0);
        assertThat(server.listenerStatus().memory().usedBytes()).isZero();
        assertEachCloseHasOneReason(server.listenerStatus(), stalled.size() + 1);
    }

    @Test
    void everyWayAConnectionEndsGivesItsMemoryBack() throws Exception {
        CountDownLatch writerStuck = new CountDownLatch(1);
        CollectingIngest ingest = CollectingIngest.blockingUntil(writerStuck);
        TcpIngestServer server = started(Optional.of(Duration.ofSeconds(2)), Optional.empty(), Duration.ofMillis(300), ingest);

        Socket endsMidObject = fixture.connect(server);
        send(endsMidObject, new String(partialObject(1024 * 1024), StandardCharsets.US_ASCII));
        Socket tooLarge = fixture.connect(server);
        sendInBackground(tooLarge, partialObject(FramingLimits.DEFAULT.maxObjectBytes() + 100));
        Socket idle = fixture.connect(server);
        send(idle, new String(partialObject(512 * 1024), StandardCharsets.US_ASCII));
        await().atMost(PATIENCE).until(() -> server.listenerStatus().protocolViolations().get("too_large") == 1);
        endsMidObject.close();
        assertServerClosedWithoutWriting(idle);
        await().atMost(PATIENCE).until(() -> server.listenerStatus().connectionsOpen() == 0);
        assertThat(server.listenerStatus().closes().idle()).isEqualTo(1);
        assertThat(memory(server).usedBytes()).isZero();

        // A complete large object waits for the stuck writer with its memory (never chosen to be
        // closed: it is accepted); stalled partial objects are chosen instead, or end at shutdown.
        Socket handingOver = fixture.connect(server);
        sendInBackground(handingOver, completeObject(3 * 1024 * 1024));
        assertThat(ingest.awaitEntered()).isTrue();
        List<Socket> stalled = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Socket socket = fixture.connect(server);
            stalled.add(socket);
            sendInBackground(socket, partialObject(PARTIAL_BYTES));
        }
        await().atMost(PATIENCE).until(() -> server.listenerStatus().closes().forMemory() > 0);
        assertThat(memory(server).usedBytes()).isPositive().isLessThanOrEqualTo(BUDGET);
        Thread.ofVirtual().start(server::close); // waits for the hand-over
        await().atMost(PATIENCE).until(() -> server.listenerStatus().closes().byShutdown() > 0);
        writerStuck.countDown();
        await().atMost(PATIENCE).until(() -> server.listenerStatus().connectionsOpen() == 0);
        assertThat(ingest.lines()).hasSize(1);
        assertThat(memory(server).usedBytes()).isZero();
        assertThat(memory(server).waitingConnections()).isZero();
    }

    @Test
    void aTlsConnectionStalledInALargeObjectIsClosedAndGivesItsMemoryBack() throws Exception {
        TestCertificates certificates = TestCertificates.createIn(dir);
        TlsSettings tls = new TlsSettings(new TlsSettings.Pkcs12Keystore(certificates.serverP12, new TlsSettings.Password(
                TestCertificates.SERVER_PASSWORD)), Optional.empty());
        CollectingIngest ingest = CollectingIngest.accepting();
        TcpIngestServer server = started(Optional.empty(), Optional.of(tls), Duration.ofMillis(300), ingest);
        List<SSLSocket> stalled = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            SSLSocket socket = fixture.closeAfter((SSLSocket) certificates.clientContext(false).getSocketFactory()
                    .createSocket(server.boundAddress().getAddress(), server.boundAddress().getPort()));
            stalled.add(socket);
            sendInBackground(socket, partialObject(PARTIAL_BYTES));
        }
        await().atMost(PATIENCE).until(() -> server.listenerStatus().closes().forMemory() > 0);
        assertThat(server.listenerStatus().memory().usedBytes()).isLessThanOrEqualTo(BUDGET);
        for (SSLSocket socket : stalled) {
            socket.close();
        }
        await().atMost(PATIENCE).until(() -> server.listenerStatus().connectionsOpen() == 0);
        assertThat(server.listenerStatus().memory().usedBytes()).isZero();
        assertEachCloseHasOneReason(server.listenerStatus(), stalled.size());
    }

    /** The close reasons (as s3logger_connections_closed_total{reason} exports them) add up to every close. */
    private static void assertEachCloseHasOneReason(ListenerStatus status, long connections) {
        ListenerStatus.Closes closes = status.closes();
        long reasons = closes.byClient() + closes.readFailed() + closes.idle() + closes.byShutdown() + closes.forMemory()
                + status.tlsHandshakesFailed() + closes.afterRefusal();
        for (long violations : status.protocolViolations().values()) {
            reasons += violations;
        }
        assertThat(closes.total()).isEqualTo(connections);
        assertThat(reasons).as("each close counted under one reason: a memory close is not also the client's")
                .isEqualTo(connections);
    }

    /** Stalled clients that hold memory (each at least 3 MiB) plus those waiting for it cover all. */
    private static int heldByStalled(ListenerStatus.ConnectionMemory memory) {
        return (int) (memory.usedBytes() / PARTIAL_BYTES);
    }

    private static ListenerStatus.ConnectionMemory memory(TcpIngestServer server) {
        return server.listenerStatus().memory();
    }

    /** {@code {"a":"xxx...} of {@code bytes} bytes, never completed. */
    private static byte[] partialObject(int bytes) {
        byte[] object = new byte[bytes];
        Arrays.fill(object, (byte) 'x');
        System.arraycopy("{\"a\":\"".getBytes(StandardCharsets.US_ASCII), 0, object, 0, 6);
        return object;
    }

    /** One complete object of {@code bytes} bytes, then '\n'. */
    private static byte[] completeObject(int bytes) {
        byte[] object = partialObject(bytes + 1);
        object[bytes - 2] = '"';
        object[bytes - 1] = '}';
        object[bytes] = '\n';
        return object;
    }

    /** Writes in the background: a client the server does not read blocks in its write. */
    private static void sendInBackground(Socket socket, byte[] bytes) {
        Thread.ofVirtual().start(() -> {
            try {
                OutputStream out = socket.getOutputStream();
                out.write(bytes);
                out.flush();
            } catch (IOException closed) {
                // the server closed the connection, or the test did
            }
        });
    }
}
