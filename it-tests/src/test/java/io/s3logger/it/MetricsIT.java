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

    @Test
    void aKnownWorkloadGivesCountersThatAddUp() throws Exception {
        InMemoryStoreApplication app = programs.start(spool, "-metrics-addr", "127.0.0.1:0", "-t", "1s", "-mb", "1",
                "-status-interval", "0");
        S3Logger s3logger = app.s3logger();
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
            return value(now, "s3logger_connections_closed_total") == connections
                    && value(now, "s3logger_objects_delivered_total") == expected.size()
                    && value(now, "s3logger_spool_backlog_segments") == 0;
        });
        Map<String, Double> m = endpoint.scrape();

        // What came in.
        assertThat(value(m, "s3logger_connections_opened_total")).isEqualTo(connections);
        assertThat(value(m, "s3logger_connections_closed_total")).isEqualTo(connections);
        assertThat(value(m, "s3logger_objects_received_total")).isEqualTo(expected.size());
        assertThat(value(m, "s3logger_received_bytes_total")).isGreaterThan(goodBytes + 4 * 1024 * 1024);
        for (String reason : List.of("malformed", "not_an_object", "too_large")) {
            assertThat(value(m, "s3logger_connections_rejected_total{reason=\"" + reason + "\"}")).as(reason).isEqualTo(1);
            assertThat(value(m, "s3logger_objects_rejected_total{reason=\"" + reason + "\"}")).as(reason).isEqualTo(1);
        }
        assertThat(value(m, "s3logger_connections_rejected_total{reason=\"invalid_utf8\"}")).isZero();
        assertThat(value(m, "s3logger_connections_rejected_total{reason=\"over_limit\"}")).isZero();
        assertThat(value(m, "s3logger_connections_closed_by_server_total{reason=\"idle_timeout\"}")).isZero();
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
