package io.s3logger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fat jar as users run it: java -jar bootstrap/target/s3logger.jar ... */
class FatJarIT {

    private static final Duration EXIT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    private static List<Path> filesUnder(Path root) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void helpListsEveryFlagAndExitsZero() throws Exception {
        try (ChildProgram program = ChildProgram.start("-h")) {
            assertThat(program.awaitExit(EXIT)).isZero();
            assertThat(program.outputText()).contains("Usage of s3logger:")
                    .contains("-addr host:port").contains("-bucket name").contains("-dir dir").contains("-mb int")
                    .contains("-prefix string").contains("-t duration").contains("-local-store dir");
        }
    }

    @Test
    void theDocsShowTheVersionThatVersionPrints() throws Exception {
        String version;
        try (ChildProgram program = ChildProgram.start("-version")) {
            assertThat(program.awaitExit(EXIT)).isZero();
            Matcher printed = Pattern.compile("^s3logger (\\S+) \\(Java ").matcher(program.outputText());
            assertThat(printed.find()).as(program.outputText()).isTrue();
            version = printed.group(1);
        }
        assertThat(version).matches("\\d+\\.\\d+\\.\\d+");
        // -version's output, /healthz's body, image tags and package file names, wherever the docs show them.
        Pattern shown = Pattern.compile("s3logger (\\d+\\.\\d+\\.\\d+\\S*) \\(Java|\"version\":\"([^\"]+)\""
                + "|s3logger:(\\d+\\.\\d+\\.\\d+\\S*)|s3logger[-_](\\d+\\.\\d+\\.\\d+[^-_\\s]*)[-_]");
        List<String> found = new ArrayList<>();
        try (Stream<Path> docs = Stream.concat(Stream.of(Path.of("../README.md")), Files.list(Path.of("../docs")))) {
            for (Path doc : docs.filter(path -> path.toString().endsWith(".md")).toList()) {
                Matcher matcher = shown.matcher(Files.readString(doc));
                while (matcher.find()) {
                    for (int group = 1; group <= matcher.groupCount(); group++) {
                        if (matcher.group(group) != null) {
                            found.add(doc.getFileName() + ": " + matcher.group(group));
                        }
                    }
                }
            }
        }
        assertThat(found).hasSizeGreaterThanOrEqualTo(3).allSatisfy(shownVersion -> assertThat(shownVersion).endsWith(": " + version));
    }

    @Test
    void aBadValueExitsTwoWithOneLineNamingTheFlag() throws Exception {
        try (ChildProgram program = ChildProgram.start("-local-store", work.toString(), "-t", "5 minutes")) {
            assertThat(program.awaitExit(EXIT)).isEqualTo(2);
            assertThat(program.output()).containsExactly("s3logger: invalid value \"5 minutes\" for -t: expected "
                    + "a duration such as 90s, 5m, 5m0s or 1h30m (units h, m, s, ms, us, ns)");
        }
    }

    @Test
    void anAddressInUseExitsOneWithOneLineNamingTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ChildProgram program = ChildProgram.start("-addr", "127.0.0.1:" + taken.getLocalPort(),
                        "-dir", work.resolve("spool").toString(), "-local-store", work.resolve("objects").toString())) {
            assertThat(program.awaitExit(EXIT)).isEqualTo(1);
            assertThat(program.output()).singleElement().asString()
                    .startsWith("s3logger: cannot start: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ");
        }
    }

    @Test
    void aMetricsAddressInUseExitsTwoWithOneLineNamingTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ChildProgram program = ChildProgram.start("-addr", "127.0.0.1:0", "-metrics-addr", "127.0.0.1:" + taken.getLocalPort(),
                        "-dir", work.resolve("spool").toString(), "-local-store", work.resolve("objects").toString())) {
            assertThat(program.awaitExit(EXIT)).isEqualTo(2);
            assertThat(program.output()).containsExactly(
                    "s3logger: cannot listen on -metrics-addr 127.0.0.1:" + taken.getLocalPort() + ": Address already in use");
            assertThat(work.resolve("objects")).doesNotExist();
        }
    }

    @Test
    void withoutAStoreItRefusesToStartAndSaysHowToChooseOne() throws Exception {
        try (ChildProgram program = ChildProgram.start("-dir", work.resolve("spool").toString())) {
            assertThat(program.awaitExit(EXIT)).isEqualTo(2);
            assertThat(program.output()).singleElement().asString()
                    .contains("-bucket NAME").contains("-local-store DIR");
        }
    }

    @Test
    void sigtermStoresAndDeliversEverythingReceived() throws Exception {
        Path spool = work.resolve("spool");
        Path objects = work.resolve("objects");
        try (ChildProgram program = ChildProgram.start("-addr", "127.0.0.1:0", "-dir", spool.toString(),
                "-local-store", objects.toString(), "-t", "1h", "-prefix", "logs")) {
            InetSocketAddress address = program.awaitListening();
            List<String> expected = JsonClient.sendConcurrently(0, 8, 1_000, address);

            assertThat(program.terminate(EXIT)).as(program.outputText()).isZero();

            List<Path> stored = filesUnder(objects);
            assertThat(stored).hasSize(1);
            String key = objects.relativize(stored.get(0)).toString();
            assertThat(key).startsWith("logs/dt=");
            StoredObjects.assertKeyLayout(key);
            StoredObjects.assertExactlyOnce(StoredObjects.lines(Files.readAllBytes(stored.get(0))), expected);
            assertThat(filesUnder(spool)).allMatch(path -> path.getFileName().toString().startsWith("."));
            assertThat(program.output()).as("8 connections from one peer, one line")
                    .filteredOn(line -> line.contains("First connection from")).singleElement().asString()
                    .contains("INFO").endsWith("First connection from 127.0.0.1");
            assertThat(program.outputText()).contains("Sealed segment").contains("Delivered logs/dt=")
                    .contains("Shutdown complete: every segment delivered")
                    // GKL bundles ISA-L for Linux x86-64, where the tests run; the manifest allows its JNI.
                    .containsPattern("gzip level 1 with ISA-L \\(Intel GKL\\) on [0-9]+ threads?, store")
                    .doesNotContain("JDK's zlib").doesNotContain("WARN").doesNotContain("restricted method");
        }
    }

    @Test
    void isaLLoadsFromTheJarIntoTheGivenTmpDirWithoutAHomeAndLeavesNothingThere() throws Exception {
        Path tmp = Files.createDirectory(work.resolve("tmp"));
        Map<String, String> jvm = Map.of("JAVA_TOOL_OPTIONS",
                "-Djava.io.tmpdir=" + tmp + " -Duser.home=" + work.resolve("no-home"), "HOME", work.resolve("no-home").toString());
        try (ChildProgram program = ChildProgram.start(jvm, "-addr", "127.0.0.1:0", "-dir", work.resolve("spool").toString(),
                "-local-store", work.resolve("objects").toString())) {
            program.awaitListening();
            assertThat(program.outputText()).contains("gzip level 1 with ISA-L (Intel GKL)").doesNotContain("WARN");
            assertThat(filesUnder(tmp)).as("the extracted library is deleted once loaded").isEmpty();
            assertThat(program.terminate(EXIT)).isZero();
        }
    }

    @Test
    void withoutAUsableTmpDirItWarnsOnceAndCompressesWithTheJdksZlib() throws Exception {
        Path objects = work.resolve("objects");
        Map<String, String> jvm = Map.of("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + work.resolve("missing"));
        try (ChildProgram program = ChildProgram.start(jvm, "-addr", "127.0.0.1:0", "-dir", work.resolve("spool").toString(),
                "-local-store", objects.toString(), "-t", "1h")) {
            List<String> expected = JsonClient.send(program.awaitListening(), 1, 2_000, JsonClient.Shape.COMPACT_LINES);

            assertThat(program.terminate(EXIT)).as(program.outputText()).isZero();

            assertThat(program.output()).filteredOn(line -> line.contains(" WARN ")).singleElement().asString()
                    .contains("Compressing with the JDK's zlib").contains("java.io.tmpdir").contains("missing");
            assertThat(program.outputText()).contains("gzip level 1 with the JDK's zlib on");
            List<Path> stored = filesUnder(objects);
            assertThat(stored).hasSize(1);
            assertThat(StoredObjects.lines(Files.readAllBytes(stored.get(0)))).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aSecondInstanceOnTheSameSpoolDirectoryRefusesToStart() throws Exception {
        Path spool = work.resolve("spool");
        String[] flags = {"-addr", "127.0.0.1:0", "-dir", spool.toString(), "-local-store", work.resolve("o").toString()};
        try (ChildProgram first = ChildProgram.start(flags)) {
            first.awaitListening();
            try (ChildProgram second = ChildProgram.start(flags)) {
                assertThat(second.awaitExit(EXIT)).isEqualTo(1);
                assertThat(second.outputText()).contains(spool.toString()).contains("in use");
            }
            assertThat(first.terminate(EXIT)).isZero();
        }
    }

    @Test
    void aSecondSignalExitsAtOnceLeavingTheSealedSegmentInTheSpool() throws Exception {
        Path spool = work.resolve("spool");
        Path notADirectory = Files.writeString(work.resolve("objects"), "a file where the store's directory should be");
        try (ChildProgram program = ChildProgram.start("-addr", "127.0.0.1:0", "-dir", spool.toString(),
                "-local-store", notADirectory.toString(), "-t", "1h", "-shutdown-timeout", "10m")) {
            List<String> expected = JsonClient.send(program.awaitListening(), 1, 500, JsonClient.Shape.COMPACT_LINES);
            ProcessHandle handle = ProcessHandle.of(program.pid()).orElseThrow();

            handle.destroy();
            await().atMost(EXIT).until(() -> program.outputText().contains("Sealed segment"));
            handle.destroy();

            assertThat(program.awaitExit(Duration.ofSeconds(30))).isEqualTo(128 + 15);
            List<Path> kept = filesUnder(spool).stream()
                    .filter(path -> path.getFileName().toString().endsWith(".json.gz"))
                    .toList();
            assertThat(kept).hasSize(1);
            assertThat(StoredObjects.lines(Files.readAllBytes(kept.get(0)))).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void shutdownWithADeadStoreEndsAtTheDeadlineAndKeepsTheSegmentSealed() throws Exception {
        Path spool = work.resolve("spool");
        Path notADirectory = Files.writeString(work.resolve("objects"), "a file where the store's directory should be");
        try (ChildProgram program = ChildProgram.start("-addr", "127.0.0.1:0", "-dir", spool.toString(),
                "-local-store", notADirectory.toString(), "-t", "1h", "-shutdown-timeout", "2s")) {
            List<String> expected = JsonClient.send(program.awaitListening(), 1, 300, JsonClient.Shape.PRETTY);

            assertThat(program.terminate(EXIT)).isZero();

            assertThat(program.outputText()).contains("Shutdown timeout reached: 1 segment stays in the spool");
            List<Path> kept = filesUnder(spool).stream()
                    .filter(path -> !path.getFileName().toString().startsWith("."))
                    .toList();
            assertThat(kept).singleElement().asString().endsWith(".json.gz");
            assertThat(StoredObjects.lines(Files.readAllBytes(kept.get(0)))).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void sigtermUnderLoadKeepsEveryObjectReceivedAsAPrefixOfEachClientsStream() throws Exception {
        Path spool = work.resolve("spool");
        Path objects = work.resolve("objects");
        List<SteadyClient> clients = new ArrayList<>();
        try (ChildProgram program = ChildProgram.start("-addr", "127.0.0.1:0", "-dir", spool.toString(),
                        "-local-store", objects.toString(), "-t", "1s", "-mb", "1");
                ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            InetSocketAddress address = program.awaitListening();
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                SteadyClient client = new SteadyClient(address, "c" + c);
                clients.add(client);
                running.add(executor.submit(client));
            }
            await().atMost(EXIT).until(() -> clients.stream().mapToInt(SteadyClient::sentCount).sum() > 20_000);

            assertThat(program.terminate(EXIT)).as(program.outputText()).isZero();
            clients.forEach(SteadyClient::stop);
            for (Future<?> client : running) {
                client.get(EXIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            }
        }

        List<String> kept = new ArrayList<>();
        for (Path file : filesUnder(objects)) {
            kept.addAll(StoredObjects.lines(Files.readAllBytes(file)));
        }
        for (Path file : filesUnder(spool)) {
            String name = file.getFileName().toString();
            assertThat(name).as("nothing left unsealed").doesNotEndWith(".open");
            if (!name.startsWith(".")) {
                kept.addAll(StoredObjects.lines(Files.readAllBytes(file)));
            }
        }
        for (SteadyClient client : clients) {
            List<String> sent = client.sent().stream().map(SteadyClient.Sent::line).toList();
            List<String> ofClient = kept.stream().filter(line -> line.startsWith("{\"client\":\"" + client.name() + "\",")).toList();
            assertThat(ofClient).as("%s: something was received", client.name()).isNotEmpty();
            assertThat(new java.util.HashSet<>(ofClient))
                    .as("what the server received of %s: a prefix of its stream, each object once", client.name())
                    .hasSize(ofClient.size())
                    .isEqualTo(new java.util.HashSet<>(sent.subList(0, ofClient.size())));
        }
    }
}
