package io.s3logger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §6: the fat jar under load from several clients is killed with SIGKILL at varied moments
 * (small segments make rotations and uploads frequent, so kills land in both), and restarted on
 * the same spool each time. At the end every object sent more than a flush interval before its
 * kill is in the store exactly once, every stored object decompresses completely, and nothing
 * sent after the last restart is missing.
 */
class CrashRecoveryIT {

    private static final int KILLS = 10;
    private static final Duration FLUSH_INTERVAL = Duration.ofSeconds(1);
    /** Loopback and queue lag on top of the flush interval. */
    private static final Duration MARGIN = Duration.ofMillis(500);
    private static final Duration EXIT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    private ChildProgram start() throws Exception {
        return ChildProgram.start("-addr", "127.0.0.1:0", "-dir", work.resolve("spool").toString(),
                "-local-store", work.resolve("objects").toString(), "-t", "3s", "-mb", "3",
                "-flush-interval", "1s", "-retry-initial", "100ms", "-retry-max", "500ms");
    }

    @Test
    void sigkillAtVariedMomentsLosesNothingOlderThanTheFlushInterval() throws Exception {
        Random random = new Random(20261126);
        Set<String> required = new HashSet<>();
        Set<String> sentAtAll = new HashSet<>();
        StringBuilder logs = new StringBuilder();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int run = 0; run <= KILLS; run++) {
                try (ChildProgram program = start()) {
                    InetSocketAddress address = program.awaitListening();
                    List<SteadyClient> clients = new ArrayList<>();
                    List<Future<?>> running = new ArrayList<>();
                    for (int c = 0; c < 3; c++) {
                        SteadyClient client = new SteadyClient(address, "r" + run + "c" + c);
                        clients.add(client);
                        running.add(executor.submit(client));
                    }
                    // Varied moments: kill after a random amount of load (the clients send about
                    // 15,000 objects, 1.5 MB, a second; a segment lasts about two seconds, past its
                    // first flush), from before the first flush to several rotations and uploads in.
                    int objects = 2_000 + random.nextInt(60_000);
                    await().atMost(EXIT).until(() -> clients.stream().mapToInt(SteadyClient::sentCount).sum() >= objects);
                    boolean kill = run < KILLS;
                    long killedAt = System.nanoTime();
                    if (kill) {
                        ProcessHandle.of(program.pid()).orElseThrow().destroyForcibly();
                        program.awaitExit(EXIT);
                    }
                    clients.forEach(SteadyClient::stop);
                    for (Future<?> client : running) {
                        client.get(EXIT.toSeconds(), TimeUnit.SECONDS);
                    }
                    long deadline = killedAt - FLUSH_INTERVAL.plus(MARGIN).toNanos();
                    for (SteadyClient client : clients) {
                        for (SteadyClient.Sent sent : client.sent()) {
                            sentAtAll.add(sent.line());
                            if (!kill || sent.sentAtNanos() < deadline) {
                                required.add(sent.line());
                            }
                        }
                    }
                    if (!kill) {
                        assertThat(program.terminate(EXIT)).as(program.outputText()).isZero();
                    }
                    logs.append(program.outputText()).append('\n');
                }
            }
        }

        // Set arithmetic, not AssertJ's containsAll: that is quadratic on 100,000s of lines.
        Map<String, Integer> stored = storedLineCounts();
        Set<String> unknown = new HashSet<>(stored.keySet());
        unknown.removeAll(sentAtAll);
        Set<String> missing = new HashSet<>(required);
        missing.removeAll(stored.keySet());
        assertThat(unknown).as("nothing but sent objects is stored").isEmpty();
        assertThat(stored.entrySet().stream().filter(entry -> entry.getValue() != 1).map(Map.Entry::getKey))
                .as("no object stored twice").isEmpty();
        assertThat(missing).as("every object sent a flush interval before its kill is stored (of %d)", required.size())
                .isEmpty();
        assertThat(required).hasSizeGreaterThan(50_000);
        assertThat(logs).as("kills left unfinished segments that the next start salvaged")
                .contains("Salvaged unfinished segment");
        try (Stream<Path> left = Files.list(work.resolve("spool"))) {
            assertThat(left.map(path -> path.getFileName().toString())).allMatch(name -> name.startsWith("."));
        }
    }

    private Map<String, Integer> storedLineCounts() throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        try (Stream<Path> files = Files.walk(work.resolve("objects"))) {
            // A put killed half-way leaves its hidden temporary file (".name.random.tmp"), never an object.
            for (Path file : files.filter(Files::isRegularFile)
                    .filter(path -> !path.getFileName().toString().startsWith("."))
                    .toList()) {
                StoredObjects.assertKeyLayout(work.resolve("objects").relativize(file).toString());
                for (String line : StoredObjects.lines(Files.readAllBytes(file))) {
                    counts.merge(line, 1, Integer::sum);
                }
            }
        }
        return counts;
    }
}
