package io.s3logger.adapter.tcp;

import static io.s3logger.adapter.tcp.ClientSockets.assertServerClosedWithoutWriting;
import static io.s3logger.adapter.tcp.ClientSockets.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.s3logger.adapter.tcp.FramingException.Reason;
import io.s3logger.domain.model.status.ListenerStatus;
import java.io.IOException;
import java.net.BindException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TcpIngestServerTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @RegisterExtension
    final ListenerFixture fixture = new ListenerFixture(PATIENCE);

    private TcpIngestServer started(CollectingIngest ingest) throws IOException {
        return fixture.started(new TcpSettings("127.0.0.1", 0), ingest);
    }

    private Socket connect(TcpIngestServer server) throws IOException {
        return fixture.connect(server); // its read timeout bounds every read below
    }

    @Test
    void anAddressInUseIsNamedInTheError() throws Exception {
        TcpIngestServer first = started(CollectingIngest.accepting());
        int port = first.boundAddress().getPort();
        TcpIngestServer second = new TcpIngestServer(new TcpSettings("127.0.0.1", port), CollectingIngest.accepting());
        fixture.closeAfter(second);

        assertThatThrownBy(second::start).isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot listen on 127.0.0.1:" + port + ": ")
                .hasCauseInstanceOf(BindException.class);
    }

    @Test
    void theStatusSaysWhetherItListensAndCountsItsConnectionsAndTheirMemory() throws Exception {
        TcpSettings settings = new TcpSettings("127.0.0.1", 0);
        TcpIngestServer server = new TcpIngestServer(settings, CollectingIngest.accepting());
        fixture.closeAfter(server);
        assertThat(server.listenerStatus().listening()).isFalse();
        server.start();
        Socket client = connect(server);
        send(client, "{\"a\":1}\n[1]");
        assertServerClosedWithoutWriting(client);
        Socket open = connect(server);
        await().atMost(PATIENCE).until(() -> server.listenerStatus().connectionsOpen() == 1
                && server.listenerStatus().closes().total() == 1);

        ListenerStatus status = server.listenerStatus();
        assertThat(status.listening()).isTrue();
        assertThat(status.connectionsOpened()).isEqualTo(2);
        assertThat(status.objectsAccepted()).isEqualTo(1);
        assertThat(status.bytesReceived()).isEqualTo(11);
        assertThat(status.protocolViolations()).as("every reason, in order, by its label").containsExactly(
                Arrays.stream(Reason.values()).map(reason -> Map.entry(reason.name().toLowerCase(Locale.ROOT),
                        reason == Reason.NOT_AN_OBJECT ? 1L : 0L)).toArray(Map.Entry[]::new));
        assertThat(status.memory().capacityBytes()).isEqualTo(settings.connectionMemoryBytes());
        assertThat(status.memory().waitingConnections()).isZero();
        open.close();
    }

    @Test
    void objectsOfOneClientArriveAsCompactLines() throws Exception {
        CollectingIngest ingest = CollectingIngest.accepting();
        TcpIngestServer server = started(ingest);
        try (Socket client = connect(server)) {
            send(client, "{\"a\":1.10}\n{\n  \"b\" : [ 1e400 , \"\\u00e9\" ]\n}{\"c\":\"é\"}");
        }
        await().atMost(PATIENCE).until(() -> ingest.lines().size() == 3);
        assertThat(ingest.lines()).containsExactly("{\"a\":1.10}", "{\"b\":[1e400,\"\\u00e9\"]}", "{\"c\":\"é\"}");
        await().atMost(PATIENCE).until(() -> server.listenerStatus().closes().total() == 1);
        assertThat(server.listenerStatus().objectsAccepted()).isEqualTo(3);
        assertThat(server.listenerStatus().connectionsOpened()).isEqualTo(1);
        assertThat(server.listenerStatus().truncatedObjects()).isZero();
    }

    @Test
    void manyConcurrentClientsKeepEveryObjectIntactAndInOrderPerClient() throws Exception {
        CollectingIngest ingest = CollectingIngest.accepting();
        TcpIngestServer server = started(ingest);
        int clients = 40;
        int perClient = 250;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> sent = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int id = c;
                sent.add(pool.submit(() -> {
                    try (Socket socket = connect(server)) {
                        StringBuilder all = new StringBuilder();
                        for (int i = 0; i < perClient; i++) {
                            all.append("{ \"client\" : ").append(id).append(", \"seq\": ").append(i)
                                    .append(", \"pad\": \"").append("x".repeat(i % 300)).append("\" }\n");
                        }
                        byte[] bytes = all.toString().getBytes(StandardCharsets.UTF_8);
                        // dribble in odd-sized writes so objects straddle reads
                        for (int off = 0; off < bytes.length; off += 1_001) {
                            socket.getOutputStream().write(bytes, off, Math.min(1_001, bytes.length - off));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        }
        await().atMost(PATIENCE).until(() -> ingest.lines().size() == clients * perClient);
        int[] nextSeq = new int[clients];
        for (String line : ingest.lines()) {
            var m = java.util.regex.Pattern.compile("\\{\"client\":(\\d+),\"seq\":(\\d+),\"pad\":\"(x*)\"}").matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            int client = Integer.parseInt(m.group(1));
            int seq = Integer.parseInt(m.group(2));
            assertThat(seq).as("order of client %d", client).isEqualTo(nextSeq[client]++);
            assertThat(m.group(3)).hasSize(seq % 300);
        }
        assertThat(ingest.lineCountFromBatches()).isEqualTo(clients * perClient);
        await().atMost(PATIENCE).until(() -> server.listenerStatus().closes().total() == clients);
        assertThat(server.listenerStatus().objectsAccepted()).isEqualTo(clients * perClient);
    }

    @Test
    void garbageClientIsClosedWithoutAffectingAConcurrentGoodClient() throws Exception {
        CollectingIngest ingest = CollectingIngest.accepting();
        TcpIngestServer server = started(ingest);
        Socket good = connect(server);
        send(good, "{\"good\":1}\n{\"good\":");
        Socket bad = connect(server);
        send(bad, "{\"bad\":1}\n[\"not an object\"]\n");
        assertServerClosedWithoutWriting(bad);
        send(good, "2}\n{\"good\":3}\n");
        await().atMost(PATIENCE).until(() -> ingest.lines().size() == 4);
        assertThat(ingest.lines()).containsExactlyInAnyOrder("{\"good\":1}", "{\"good\":2}", "{\"good\":3}", "{\"bad\":1}");
        assertThat(server.listenerStatus().protocolViolations().get("not_an_object")).isEqualTo(1);
        assertThat(server.listenerStatus().closes().total()).isEqualTo(1);
        assertThat(good.isClosed()).isFalse();
        good.close();
        await().atMost(PATIENCE).until(() -> server.listenerStatus().closes().total() == 2);
    }

    @Test
    void eachRejectionReasonIsCountedAndClosesTheConnection() throws Exception {
        CollectingIngest ingest = CollectingIngest.accepting();
        TcpIngestServer server = started(ingest);
        String[] streams = {"{\"a\":1}{\"a\":tru}", "42 ", "{\"a\":" + "[".repeat(1_000)};
        for (String stream : streams) {
            try (Socket socket = connect(server)) {
                send(socket, stream);
                assertServerClosedWithoutWriting(socket);
            }
        }
        assertThat(server.listenerStatus().protocolViolations().get("malformed")).isEqualTo(1);
        assertThat(server.listenerStatus().protocolViolations().get("not_an_object")).isEqualTo(1);
        assertThat(server.listenerStatus().protocolViolations().get("too_deep")).isEqualTo(1);
        assertThat(ingest.lines()).containsExactly("{\"a\":1}");
    }

    @Test
    void invalidUtf8IsRejected() throws Exception {
        CollectingIngest ingest = CollectingIngest.accepting();
        TcpIngestServer server = started(ingest);
        try (Socket socket = connect(server)) {
            send(socket, "{}{\"s\":\"");
            socket.getOutputStream().write(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'});
            assertServerClosedWithoutWriting(socket);
        }
        assertThat(server.listenerStatus().protocolViolations().get("invalid_utf8")).isEqualTo(1);
        assertThat(ingest.lines()).containsExactly("{}");
    }

    @Test
    void partialObjectAtEndOfConnectionIsDroppedAndCounted() throws Exception {
        CollectingIngest ingest = CollectingIngest.accepting();
        TcpIngestServer server = started(ingest);
        try (Socket client = connect(server)) {
            send(client, "{\"a\":1}\n{\"b\":\"cut off");
        }
        await().atMost(PATIENCE).until(() -> server.listenerStatus().truncatedObjects() == 1);
        assertThat(ingest.lines()).containsExactly("{\"a\":1}");
        assertThat(server.listenerStatus().closes().total()).isEqualTo(1);
    }

    @Test
    void closeHandsOverFramedObjectsAndEndsEveryConnection() throws Exception {
        CountDownLatch writerCatchesUp = new CountDownLatch(1);
        CollectingIngest ingest = CollectingIngest.blockingUntil(writerCatchesUp);
        TcpIngestServer server = started(ingest);
        Socket busy = connect(server);
        Socket idle = connect(server);
        send(busy, "{\"n\":1}{\"n\":2}");
        assertThat(ingest.awaitEntered()).isTrue(); // the connection is blocked handing over
        await().atMost(PATIENCE).until(() -> server.listenerStatus().connectionsOpened() == 2);

        Thread closer = Thread.ofVirtual().start(server::close);
        assertServerClosedWithoutWriting(idle);
        assertThat(closer.isAlive()).as("close waits for the pending hand-over").isTrue();
        writerCatchesUp.countDown();
        closer.join(PATIENCE);
        assertThat(closer.isAlive()).isFalse();

        assertThat(ingest.lines()).containsExactly("{\"n\":1}", "{\"n\":2}");
        assertThat(server.listenerStatus().closes().total()).isEqualTo(2);
        assertServerClosedWithoutWriting(busy);
        assertThatThrownBy(() -> new Socket(server.boundAddress().getAddress(), server.boundAddress().getPort()).close())
                .isInstanceOf(IOException.class);
    }

    @Test
    void refusedHandOverClosesTheConnectionAndCountsTheLoss() throws Exception {
        CollectingIngest ingest = CollectingIngest.shutDown();
        TcpIngestServer server = started(ingest);
        try (Socket client = connect(server)) {
            send(client, "{\"a\":1}{\"b\":2}");
            assertServerClosedWithoutWriting(client);
        }
        await().atMost(PATIENCE).until(() -> server.listenerStatus().closes().total() == 1);
        assertThat(server.listenerStatus().objectsRefused()).isEqualTo(2);
        assertThat(server.listenerStatus().objectsAccepted()).isZero();
    }

    @Test
    void startTwiceOrAfterCloseIsRefused() throws Exception {
        TcpIngestServer server = started(CollectingIngest.accepting());
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
        server.close();
        server.close();
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void bindFailureIsReported() throws Exception {
        TcpIngestServer first = started(CollectingIngest.accepting());
        TcpIngestServer second = new TcpIngestServer(
                new TcpSettings("127.0.0.1", first.boundAddress().getPort()), CollectingIngest.accepting());
        fixture.closeAfter(second);
        assertThatThrownBy(second::start).isInstanceOf(IOException.class);
        assertThatThrownBy(second::boundAddress).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void settingsAreValidated() {
        assertThat(new TcpSettings("localhost", 8080).port()).isEqualTo(8080);
        assertThat(new TcpSettings("::1", 0).host()).isEqualTo("::1");
        assertThat(new TcpSettings("0.0.0.0", 65_535).port()).isEqualTo(65_535);
        assertThatThrownBy(() -> new TcpSettings("", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TcpSettings(" localhost", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TcpSettings(null, 1)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new TcpSettings("localhost", -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TcpSettings("localhost", 65_536)).isInstanceOf(IllegalArgumentException.class);
    }
}
