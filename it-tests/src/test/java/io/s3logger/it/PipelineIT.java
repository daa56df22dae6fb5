package io.s3logger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.s3logger.adapter.fs.SpoolLockedException;
import io.s3logger.domain.model.ObjectKey;
import io.s3logger.domain.port.out.InMemoryObjectStore;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The assembled program in-process (test component with the in-memory store) on real sockets and files. */
class PipelineIT {

    @TempDir
    Path spool;

    @RegisterExtension
    final InProcessPrograms programs = new InProcessPrograms();

    private InMemoryStoreApplication start(String... flags) throws Exception {
        return programs.start(spool, flags);
    }

    private static List<String> storedLines(InMemoryObjectStore store) {
        return StoredObjects.allLines(store.objects().values());
    }

    @Test
    void fiftyConcurrentClientsOfMixedShapesAreStoredExactlyOnceInSeveralSegments() throws Exception {
        InMemoryStoreApplication app = start("-mb", "1", "-t", "1h");
        InetSocketAddress address = app.s3logger().address();
        List<String> expected = JsonClient.sendConcurrently(0, 50, 2_000, address);

        assertThat(programs.stop(app)).isTrue();

        InMemoryObjectStore store = app.store();
        assertThat(store.objects()).hasSizeGreaterThan(5);
        store.objects().keySet().forEach(key -> StoredObjects.assertKeyLayout(key.value()));
        List<String> stored = storedLines(store);
        assertThat(stored).hasSize(100_000);
        StoredObjects.assertExactlyOnce(stored, expected);
        try (Stream<Path> left = Files.list(spool)) {
            assertThat(left.map(path -> path.getFileName().toString())).allMatch(name -> name.startsWith("."));
        }
    }

    @Test
    void ageRotationDeliversWithoutFurtherInput() throws Exception {
        InMemoryStoreApplication app = start("-t", "1s", "-prefix", "/age//test/");

        List<String> expected = JsonClient.send(app.s3logger().address(), 1, 3, JsonClient.Shape.COMPACT_LINES);

        await().atMost(Duration.ofSeconds(20)).until(() -> app.store().objects().size() == 1);
        ObjectKey key = app.store().objects().keySet().iterator().next();
        assertThat(key.value()).startsWith("age/test/dt=");
        StoredObjects.assertKeyLayout(key.value());
        assertThat(storedLines(app.store())).containsExactlyElementsOf(expected);
    }

    @Test
    void aClientSendingGarbageDoesNotAffectConcurrentGoodClients() throws Exception {
        InMemoryStoreApplication app = start("-t", "1h");
        InetSocketAddress address = app.s3logger().address();
        List<String> expected = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<String>>> good = new ArrayList<>();
            for (int client = 0; client < 4; client++) {
                int id = client;
                good.add(clients.submit(() -> JsonClient.send(address, id, 5_000, JsonClient.Shape.PRETTY)));
            }
            Callable<Void> garbage = () -> {
                for (int i = 0; i < 20; i++) {
                    try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
                        OutputStream out = socket.getOutputStream();
                        out.write(("{\"garbage\":" + i + "}{\"broken\": ]]]").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        // The server closes a malformed stream without our closing first.
                        JsonClient.awaitServerClose(socket.getInputStream());
                    }
                }
                return null;
            };
            Future<Void> bad = clients.submit(garbage);
            for (Future<List<String>> future : good) {
                expected.addAll(future.get());
            }
            bad.get();
        }
        for (int i = 0; i < 20; i++) {
            expected.add("{\"garbage\":" + i + "}");
        }

        programs.stop(app);

        StoredObjects.assertExactlyOnce(storedLines(app.store()), expected);
    }

    @Test
    void objectsInTheSpoolFromAnEarlierRunAreDeliveredAtStart() throws Exception {
        InMemoryStoreApplication first = start("-t", "1h", "-shutdown-timeout", "1s");
        first.store().setDown(true);
        List<String> expected = JsonClient.send(first.s3logger().address(), 7, 100, JsonClient.Shape.CONCATENATED);
        assertThat(programs.stop(first)).isFalse();
        assertThat(first.store().objects()).isEmpty();

        InMemoryStoreApplication second = start("-t", "1h");

        await().atMost(Duration.ofSeconds(20)).until(() -> second.store().objects().size() == 1);
        assertThat(storedLines(second.store())).containsExactlyElementsOf(expected);
    }

    @Test
    void aSecondInstanceOnTheSameSpoolRefusesToStart() throws Exception {
        start();

        assertThatThrownBy(this::start)
                .isInstanceOf(UncheckedIOException.class)
                .hasCauseInstanceOf(SpoolLockedException.class);
    }
}
