package io.s3logger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool directory failing under load, with the fat jar: made unwritable for 2.5 s (even for
 * root: {@code chattr +i}, or a read-only bind mount where the file system has no immutable flag)
 * while a seal by age or by size falls due, or removed and made again. Each time ingestion pauses,
 * resumes by itself, /readyz recovers, and every object sent is stored exactly once.
 */
class SpoolFaultIT {

    private static final Duration EXIT = Duration.ofSeconds(60);
    private static final Duration FAULT = Duration.ofMillis(2500);
    private static final Pattern MONITORING = Pattern.compile("Serving /metrics, /healthz and /readyz on http://([^:]+):(\\d+)");

    @TempDir
    Path work;

    @Test
    void aSpoolDirectoryReadOnlyAtAnAgeSealPausesIngestionWhichResumesAndLosesNothing() throws Exception {
        Path spool = Files.createDirectory(work.resolve("spool"));
        ReadOnly readOnly = ReadOnly.find(spool);
        run(spool, readOnly::apply, readOnly::undo, "-t", "1s");
    }

    @Test
    void aSpoolDirectoryReadOnlyAtASizeSealPausesIngestionWhichResumesAndLosesNothing() throws Exception {
        Path spool = Files.createDirectory(work.resolve("spool"));
        ReadOnly readOnly = ReadOnly.find(spool);
        run(spool, readOnly::apply, readOnly::undo, "-t", "1h", "-mb", "1");
    }

    @Test
    void aSpoolDirectoryRemovedAndMadeAgainLosesNothing() throws Exception {
        Path spool = Files.createDirectory(work.resolve("spool"));
        run(spool, () -> removeTree(spool), () -> Files.createDirectories(spool), "-t", "2s");
    }

    private void run(Path spool, Action fault, Action repair, String... rotation) throws Exception {
        Path objects = work.resolve("objects");
        List<String> flags = new ArrayList<>(List.of("-addr", "127.0.0.1:0", "-metrics-addr", "127.0.0.1:0",
                "-dir", spool.toString(), "-local-store", objects.toString(), "-shutdown-timeout", "20s"));
        flags.addAll(List.of(rotation));
        List<SteadyClient> clients = new ArrayList<>();
        // The program is closed (killed) before the executor waits for the clients, whose sockets then break.
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
                ChildProgram program = ChildProgram.start(flags.toArray(String[]::new))) {
            InetSocketAddress address = program.awaitListening();
            MetricsEndpoint endpoint = monitoring(program);
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                SteadyClient client = new SteadyClient(address, "c" + c);
                clients.add(client);
                running.add(executor.submit(client));
            }
            await().atMost(EXIT).until(() -> count(program, "Delivered ") >= 2);

            // Right after a delivery, so that no sealed segment waits in the spool when it is removed.
            long delivered = count(program, "Delivered ");
            await().atMost(EXIT).until(() -> count(program, "Delivered ") > delivered);
            long sealedBefore = count(program, "Sealed segment");
            fault.run();
            long faultAt = System.nanoTime();
            try {
                await().atMost(EXIT).until(() -> System.nanoTime() - faultAt >= FAULT.toNanos()
                        || count(program, "Sealed segment") > sealedBefore + 1); // a fault that did nothing
            } finally {
                repair.run();
            }
            long repairedAt = System.nanoTime();
            long sealedAtRepair = count(program, "Sealed segment");
            await().atMost(EXIT).until(() -> count(program, "Sealed segment") > sealedAtRepair);
            long resumedMillis = (System.nanoTime() - repairedAt) / 1_000_000;
            await().atMost(EXIT).until(() -> endpoint.get("/readyz").statusCode() == 200);
            long readyMillis = (System.nanoTime() - repairedAt) / 1_000_000;
            int sentAtResume = clients.stream().mapToInt(SteadyClient::sentCount).sum();
            await().atMost(EXIT).until(() -> clients.stream().mapToInt(SteadyClient::sentCount).sum() > sentAtResume + 5_000);
            System.out.printf("SpoolFaultIT %s: sealing resumed %d ms and /readyz was 200 again %d ms after the repair%n",
                    String.join(" ", rotation), resumedMillis, readyMillis);

            clients.forEach(SteadyClient::stop);
            for (Future<?> client : running) {
                client.get(EXIT.toSeconds(), TimeUnit.SECONDS);
            }
            assertThat(program.terminate(EXIT)).as(program.outputText()).isZero();
            assertThat(program.outputText()).as("the fault hit the program")
                    .containsPattern("Writing to the spool failed|Flushing or sealing the open segment failed"
                            + "|had been removed from the spool directory");
        }

        List<String> sent = clients.stream().flatMap(client -> client.sent().stream()).map(SteadyClient.Sent::line).toList();
        List<String> stored = new ArrayList<>();
        try (Stream<Path> files = Files.walk(objects)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                stored.addAll(StoredObjects.lines(Files.readAllBytes(file)));
            }
        }
        assertThat(sent).hasSizeGreaterThan(10_000);
        StoredObjects.assertExactlyOnce(stored, sent);
    }

    private static long count(ChildProgram program, String text) {
        return program.output().stream().filter(line -> line.contains(text)).count();
    }

    private static MetricsEndpoint monitoring(ChildProgram program) {
        await().atMost(EXIT).until(() -> program.output().stream().anyMatch(line -> MONITORING.matcher(line).find()));
        for (String line : program.output()) {
            Matcher matcher = MONITORING.matcher(line);
            if (matcher.find()) {
                return new MetricsEndpoint(new InetSocketAddress(matcher.group(1), Integer.parseInt(matcher.group(2))));
            }
        }
        throw new AssertionError("unreachable");
    }

    /** rm -rf, again while the program writes its open segment back into the directory. */
    private static void removeTree(Path root) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
                return;
            } catch (NoSuchFileException e) {
                return;
            } catch (DirectoryNotEmptyException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }

    /**
     * Making a directory unwritable for root, who ignores permission bits: the immutable flag,
     * or a read-only bind mount of the directory on itself.
     */
    private record ReadOnly(Path dir, boolean immutableFlag) {

        static ReadOnly find(Path dir) throws Exception {
            if (run("chattr", "+i", dir.toString()) == 0) {
                boolean works = !canCreateFileIn(dir);
                run("chattr", "-i", dir.toString());
                if (works) {
                    return new ReadOnly(dir, true);
                }
            }
            if (run("mount", "--bind", dir.toString(), dir.toString()) == 0) {
                boolean works = run("mount", "-o", "remount,ro,bind", dir.toString()) == 0 && !canCreateFileIn(dir);
                run("umount", dir.toString());
                if (works) {
                    return new ReadOnly(dir, false);
                }
            }
            System.out.println("SpoolFaultIT: skipped: cannot make " + dir + " unwritable for this user"
                    + " (no chattr +i on this file system, no bind mount permission)");
            Assumptions.abort("cannot make a directory read-only for this user here");
            throw new AssertionError("unreachable");
        }

        void apply() throws Exception {
            boolean done = immutableFlag
                    ? run("chattr", "+i", dir.toString()) == 0
                    : run("mount", "--bind", dir.toString(), dir.toString()) == 0
                            && run("mount", "-o", "remount,ro,bind", dir.toString()) == 0;
            assertThat(done).as("made %s read-only", dir).isTrue();
        }

        void undo() throws Exception {
            boolean done = immutableFlag
                    ? run("chattr", "-i", dir.toString()) == 0
                    : run("umount", dir.toString()) == 0 || run("umount", "-l", dir.toString()) == 0;
            assertThat(done).as("made %s writable again", dir).isTrue();
        }

        private static boolean canCreateFileIn(Path dir) {
            try {
                Files.delete(Files.createFile(dir.resolve("probe")));
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        private static int run(String... command) throws Exception {
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
            } catch (IOException e) {
                return -1; // no such command
            }
        }
    }
}
