package io.s3logger.it;

import static io.s3logger.it.MetricsEndpoint.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.s3logger.bootstrap.S3Logger;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The program in-process with the in-memory store: a known workload, good and bad, then a scrape
 * of /metrics whose numbers must reconcile with the workload and with each other, so that an
 * operator can prove from them alone that nothing was lost.
 */
class MetricsIT {

    private static final int CLIENTS = 6;
    private static final int OBJECTS_PER_CLIENT = 3_000;

    @TempDir
    Path spool;

    @RegisterExtension
    final InProcessPrograms programs = new InProcessPrograms();

    private S3Logger s3logger;

    /** Sends raw bytes as one client and waits for the server to close; the server may cut us off early. */
    private static void sendRaw(InetSocketAddress address, byte[] bytes) throws IOException {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            OutputStream out = socket.getOutputStream();
            try {
                out.write(bytes);
                out.flush();
                socket.shutdownOutput();
            } catch (IOException closedByServer) {
                // Expected for a rejected stream larger than the socket buffers: the server stops reading.
            }
            try {
                JsonClient.awaitServerClose(socket.getInputStream());
            } catch (IOException reset) {
                // A close with unread bytes arrives as a reset; the connection ended either way.
            }
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Every connection closed, whatever the reason. */
    private static long closed(Map<String, Double> samples) {
        return samples.entrySet().stream().filter(sample -> sample.getKey().startsWith("s3logger_connections_closed_total{"))
                .mapToLong(sample -> sample.getValue().longValue()).sum();
    }

    /** The program under test, started with monitoring on a free port and no status line. */
    private InMemoryStoreApplication start(String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("-metrics-addr", "127.0.0.1:0", "-status-interval", "0"));
        args.addAll(List.of(flags));
        InMemoryStoreApplication app = programs.start(spool, args.toArray(String[]::new));
        s3logger = app.s3logger();
        return app;
    }

    @Test
    void openConnectionsAndWhyTheyClosed() throws Exception {
        start();
        MetricsEndpoint endpoint = new MetricsEndpoint(s3logger.monitoringAddress().orElseThrow());
        InetSocketAddress address = s3logger.address();

        try (Socket first = new Socket(address.getAddress(), address.getPort());
                Socket second = new Socket(address.getAddress(), address.getPort())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> value(endpoint.scrape(), "s3logger_connections_open") == 2);
            first.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> value(endpoint.scrape(), "s3logger_connections_open") == 1);
            Map<String, Double> m = endpoint.scrape();
            assertThat(value(m, "s3logger_connections_opened_total")).isEqualTo(2);
            assertThat(value(m, "s3logger_connections_closed_total{reason=\"client_closed\"}")).isEqualTo(1);
            assertThat(closed(m)).isEqualTo(1);

            second.setSoLinger(true, 0); // a reset, as from a crashed client
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> value(endpoint.scrape(), "s3logger_connections_open") == 0);
        Map<String, Double> m = endpoint.scrape();
        assertThat(value(m, "s3logger_connections_closed_total{reason=\"read_failed\"}")).isEqualTo(1);
        assertThat(closed(m)).isEqualTo(2);
    }

    @Test
    void buildInfoUptimeAndStartTime() throws Exception {
        long before = System.currentTimeMillis() / 1000;
        start();
        Map<String, Double> m = new MetricsEndpoint(s3logger.monitoringAddress().orElseThrow()).scrape();

        assertThat(m).containsKey("s3logger_build_info{compressor=\"gzip level 1 with ISA-L (Intel GKL) on "
                + Runtime.getRuntime().availableProcessors() + (Runtime.getRuntime().availableProcessors() == 1 ? " thread" : " threads")
                + "\",version=\"dev\"}");
        long uptime = value(m, "s3logger_uptime_seconds");
        long started = value(m, "process_start_time_seconds");
        assertThat(uptime).isPositive();
        assertThat(started).isLessThanOrEqualTo(before).isGreaterThanOrEqualTo(System.currentTimeMillis() / 1000 - uptime - 2);
    }

    @Test
    void objectsAndBytesWaitingInTheSpool() throws Exception {
        InMemoryStoreApplication app = start("-t", "1s", "-retry-initial", "100ms", "-retry-max", "200ms");
        MetricsEndpoint endpoint = new MetricsEndpoint(s3logger.monitoringAddress().orElseThrow());
        app.store().setDown(true);

        JsonClient.send(s3logger.address(), 1, 10, JsonClient.Shape.COMPACT_LINES);
        await().atMost(Duration.ofSeconds(20)).until(() -> value(endpoint.scrape(), "s3logger_spool_backlog_segments") == 1);
        Map<String, Double> waiting = endpoint.scrape();
        assertThat(value(waiting, "s3logger_spool_backlog_objects")).isEqualTo(10);
        assertThat(value(waiting, "s3logger_spool_backlog_bytes")).isEqualTo(value(waiting, "s3logger_sealed_compressed_bytes_total"));

        app.store().setDown(false);
        await().atMost(Duration.ofSeconds(20)).until(() -> value(endpoint.scrape(), "s3logger_spool_backlog_segments") == 0);
        Map<String, Double> delivered = endpoint.scrape();
        assertThat(value(delivered, "s3logger_spool_backlog_objects")).isZero();
        assertThat(value(delivered, "s3logger_spool_backlog_bytes")).isZero();
    }

    @Test
    void aKnownWorkloadGivesCountersThatAddUp() throws Exception {
        InMemoryStoreApplication app = start("-t", "1s", "-mb", "1");
        InetSocketAddress address = s3logger.address();
        MetricsEndpoint endpoint = new MetricsEndpoint(s3logger.monitoringAddress().orElseThrow());

        List<String> expected = new ArrayList<>();
        long goodBytes = 0;
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<String>>> sent = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                int id = client;
                JsonClient.Shape shape = JsonClient.Shape.values()[client % JsonClient.Shape.values().length];
                for (int seq = 0; seq < OBJECTS_PER_CLIENT; seq++) {
                    goodBytes += utf8(JsonClient.wire(id, seq, shape)).length;
                }
                sent.add(clients.submit(() -> JsonClient.send(address, id, OBJECTS_PER_CLIENT, shape)));
            }
            for (Future<List<String>> future : sent) {
                expected.addAll(future.get());
            }
        }
        // Four bad connections, each with one good object before the trouble.
        sendRaw(address, utf8("{\"bad\":\"malformed\"}\n{\"broken\": ]"));
        sendRaw(address, utf8("{\"bad\":\"not an object\"}\n[1,2,3]"));
        sendRaw(address, utf8("{\"bad\":\"too large\"}\n{\"big\":\"" + "x".repeat(4 * 1024 * 1024) + "\"}"));
        sendRaw(address, utf8("{\"bad\":\"truncated\"}\n{\"cut\":"));
        expected.addAll(List.of("{\"bad\":\"malformed\"}", "{\"bad\":\"not an object\"}", "{\"bad\":\"too large\"}",
                "{\"bad\":\"truncated\"}"));
        int connections = CLIENTS + 4;

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Map<String, Double> now = endpoint.scrape();
            return closed(now) == connections
                    && value(now, "s3logger_objects_delivered_total") == expected.size()
                    && value(now, "s3logger_spool_backlog_segments") == 0;
        });
        Map<String, Double> m = endpoint.scrape();

        // What came in.
        assertThat(value(m, "s3logger_connections_opened_total")).isEqualTo(connections);
        assertThat(closed(m)).isEqualTo(connections);
        assertThat(value(m, "s3logger_connections_open")).isZero();
        assertThat(value(m, "s3logger_connections_closed_total{reason=\"client_closed\"}")).as("the good and the truncated")
                .isEqualTo(CLIENTS + 1);
        assertThat(value(m, "s3logger_objects_received_total")).isEqualTo(expected.size());
        assertThat(value(m, "s3logger_received_bytes_total")).isGreaterThan(goodBytes + 4 * 1024 * 1024);
        for (String reason : List.of("malformed", "not_an_object", "too_large")) {
            assertThat(value(m, "s3logger_connections_rejected_total{reason=\"" + reason + "\"}")).as(reason).isEqualTo(1);
            assertThat(value(m, "s3logger_connections_closed_total{reason=\"" + reason + "\"}")).as(reason).isEqualTo(1);
            assertThat(value(m, "s3logger_objects_rejected_total{reason=\"" + reason + "\"}")).as(reason).isEqualTo(1);
        }
        assertThat(value(m, "s3logger_connections_rejected_total{reason=\"invalid_utf8\"}")).isZero();
        assertThat(value(m, "s3logger_connections_rejected_total{reason=\"over_limit\"}")).isZero();
        assertThat(value(m, "s3logger_connections_closed_total{reason=\"idle_timeout\"}")).isZero();
        assertThat(value(m, "s3logger_connections_closed_total{reason=\"memory_budget\"}")).isZero();
        assertThat(value(m, "s3logger_objects_rejected_total{reason=\"truncated\"}")).isEqualTo(1);

        // received = written + lost, and lost is 0.
        assertThat(value(m, "s3logger_objects_lost_total{reason=\"refused_by_writer\"}")).isZero();
        assertThat(value(m, "s3logger_objects_lost_total{reason=\"write_failed\"}")).isZero();
        assertThat(value(m, "s3logger_objects_written_total")).isEqualTo(value(m, "s3logger_objects_received_total"));
        long rawBytes = expected.stream().mapToLong(line -> utf8(line).length + 1).sum();
        assertThat(value(m, "s3logger_written_bytes_total")).isEqualTo(rawBytes);

        // written = delivered, segment for segment and byte for byte.
        long sealed = value(m, "s3logger_segments_sealed_total");
        assertThat(sealed).isGreaterThan(1);
        assertThat(value(m, "s3logger_segments_delivered_total")).isEqualTo(sealed);
        assertThat(value(m, "s3logger_objects_delivered_total")).isEqualTo(value(m, "s3logger_objects_written_total"));
        assertThat(value(m, "s3logger_delivered_bytes_total")).isEqualTo(value(m, "s3logger_sealed_compressed_bytes_total"));
        assertThat(value(m, "s3logger_delivery_latency_seconds_count")).isEqualTo(sealed);
        assertThat(value(m, "s3logger_upload_duration_seconds_count")).isEqualTo(sealed);
        assertThat(value(m, "s3logger_delivery_failures_total")).isZero();
        assertThat(value(m, "s3logger_spool_backlog_bytes")).isZero();
        assertThat(value(m, "s3logger_ingestion_paused{cause=\"spool_full\"}")).isZero();
        assertThat(m.keySet()).as("JVM metrics").anyMatch(key -> key.startsWith("jvm_memory_used_bytes"));

        // And the store holds exactly what the counters say.
        assertThat(app.store().objects()).hasSize((int) sealed);
        StoredObjects.assertExactlyOnce(StoredObjects.allLines(app.store().objects().values()), expected);
    }
}
