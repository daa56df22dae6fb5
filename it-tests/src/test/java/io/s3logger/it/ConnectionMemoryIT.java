package io.s3logger.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 §1: no number or behaviour of clients makes the program run out of memory. The fat jar
 * at the README's heap and collector ({@code -Xmx128m -Xmn40m -XX:+UseSerialGC -XX:SurvivorRatio=2
 * -XX:TargetSurvivorRatio=90 -XX:+ExitOnOutOfMemoryError}, so a 24 MiB connection budget), attacked by
 * clients that trickle near-4 MiB objects and stall and by clients sending 4 MiB objects at full
 * speed, while one ordinary client sends small objects: the process never exits, every object of
 * the ordinary client is stored, and the peak RSS stays bounded.
 *
 * <p>The build runs a smaller attack (200 trickling, 64 fast clients, each sending 2 objects; the
 * sizes that killed the program before the budget were 45 and 64). The full size
 * (500 trickling, 200 fast clients) runs with {@code -Ds3logger.memoryAttack.full=true}:
 * {@code mvn -B -pl it-tests -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=ConnectionMemoryIT -Ds3logger.memoryAttack.full=true}.
 */
class ConnectionMemoryIT {

    private static final boolean FULL = Boolean.getBoolean("s3logger.memoryAttack.full");
    private static final int TRICKLING = FULL ? 500 : 200;
    private static final int FAST = FULL ? 200 : 64;
    private static final int OBJECTS_PER_FAST_CLIENT = 2;
    private static final int OBJECT_BYTES = 4 * 1024 * 1024; // the largest accepted
    private static final int PARTIAL_BYTES = OBJECT_BYTES - 200 * 1024; // about 3.8 MiB, never completed
    private static final Duration ATTACK = Duration.ofSeconds(FULL ? 60 : 30);
    private static final Duration ORDINARY_PERIOD = Duration.ofMillis(5); // 200 objects a second
    /** Heap 128 MiB, plus metaspace, code, GC structures and native buffers (about 70 MB). */
    private static final long MAX_PEAK_RSS_BYTES = 600L * 1024 * 1024;
    private static final Pattern MONITORING = Pattern.compile("Serving /metrics, /healthz and /readyz on http://([^:]+):(\\d+)");

    @TempDir
    Path work;

    @Test
    void theProgramSurvivesTricklingAndFastLargeObjectsAndKeepsServingAnOrdinaryClient() throws Exception {
        Path objects = work.resolve("objects");
        try (ChildProgram program = ChildProgram.start(Map.of(),
                List.of("-Xmx128m", "-Xmn40m", "-XX:+UseSerialGC", "-XX:SurvivorRatio=2", "-XX:TargetSurvivorRatio=90",
                        "-XX:+ExitOnOutOfMemoryError"),
                "-addr", "127.0.0.1:0", "-metrics-addr", "127.0.0.1:0", "-dir", work.resolve("spool").toString(),
                "-local-store", objects.toString(), "-t", "2s", "-status-interval", "0")) {
            InetSocketAddress address = program.awaitListening();
            List<Socket> sockets = new ArrayList<>();
            List<Thread> clients = new ArrayList<>();
            AtomicInteger attackersClosed = new AtomicInteger(); // by the program, not counting the end of the test
            AtomicBoolean attackOver = new AtomicBoolean();
            AtomicInteger fastObjectsSent = new AtomicInteger();
            OrdinaryClient ordinary = new OrdinaryClient(address);
            long started = System.nanoTime();
            // The ordinary client is connected and sending before the attack starts, as a long-lived client would be.
            Thread ordinaryThread = Thread.ofPlatform().start(ordinary);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ordinary.sent() >= 100);
            try {
                byte[] chunk = new byte[64 * 1024];
                Arrays.fill(chunk, (byte) 'x');
                for (int i = 0; i < TRICKLING; i++) {
                    Socket socket = connect(address, sockets);
                    int id = i;
                    clients.add(Thread.ofVirtual().start(() -> trickle(socket, id, chunk, attackersClosed, attackOver)));
                }
                byte[] object = largeObject();
                for (int i = 0; i < FAST; i++) {
                    Socket socket = connect(address, sockets);
                    clients.add(Thread.ofVirtual().start(() -> sendFast(socket, object, fastObjectsSent, attackersClosed, attackOver)));
                }
                long end = started + ATTACK.toNanos();
                while (System.nanoTime() < end) {
                    assertThat(program.isAlive()).as("the program is up; its output:\n%s", tail(program)).isTrue();
                    ordinaryThread.join(Duration.ofMillis(500));
                }
                double ordinaryRate = ordinary.sent() * 1e9 / (System.nanoTime() - started);
                ordinary.stop();
                ordinaryThread.join(Duration.ofSeconds(30));
                assertThat(ordinary.failure()).as("the ordinary client (%s) was served throughout; the program's lines about it:\n%s"
                        + "\nand its last lines:\n%s", ordinary.localAddress(),
                        String.join("\n", program.output().stream().filter(line -> line.contains(ordinary.localAddress())).toList()),
                        tail(program)).isNull();
                assertThat(program.isAlive()).as(tail(program)).isTrue();
                long peakRss = peakRssBytes(program.pid());
                Map<String, Double> metrics = metrics(program).scrape();
                long closedForMemory = metrics.getOrDefault(
                        "s3logger_connections_closed_total{reason=\"memory_budget\"}", -1.0).longValue();
                System.out.printf("ConnectionMemoryIT: %d trickling + %d fast clients for %ds: peak RSS %d MiB; %d attackers"
                                + " closed (%d by the budget); %d large objects sent; ordinary client: %d objects, %.0f/s"
                                + " (paced at %d/s), longest write %d ms, writes over 100 ms %d%n",
                        TRICKLING, FAST, ATTACK.toSeconds(), peakRss >> 20, attackersClosed.get(), closedForMemory,
                        fastObjectsSent.get(), ordinary.sent(), ordinaryRate,
                        Duration.ofSeconds(1).dividedBy(ORDINARY_PERIOD), ordinary.longestWriteNanos() / 1_000_000,
                        ordinary.slowWrites());
                assertThat(peakRss).as("peak RSS (VmHWM)").isLessThan(MAX_PEAK_RSS_BYTES);
                assertThat(closedForMemory).as("stalled attackers closed by the budget").isPositive();
            } finally {
                attackOver.set(true);
                for (Socket socket : sockets) {
                    socket.close();
                }
                for (Thread client : clients) {
                    client.join(Duration.ofSeconds(10));
                }
            }
            assertThat(program.terminate(Duration.ofSeconds(60))).as(tail(program)).isZero();
            assertThat(program.outputText()).doesNotContain("OutOfMemoryError");
            assertThat(ordinaryLinesStored(objects)).as("the ordinary client's objects, each stored once")
                    .isEqualTo(ordinary.expected());
        }
    }

    private static Socket connect(InetSocketAddress address, List<Socket> sockets) throws IOException {
        Socket socket = new Socket(address.getAddress(), address.getPort());
        sockets.add(socket);
        return socket;
    }

    /** Sends most of one 4 MiB object as fast as the server reads, then stalls until closed. */
    private static void trickle(Socket socket, int id, byte[] chunk, AtomicInteger closed, AtomicBoolean attackOver) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(("{\"trickle\":" + id + ",\"pad\":\"").getBytes(StandardCharsets.US_ASCII));
            for (int sent = 0; sent < PARTIAL_BYTES; sent += chunk.length) {
                out.write(chunk);
            }
            out.flush();
            socket.getInputStream().read(); // the server never writes: this returns when it closes the connection
            countClose(closed, attackOver);
        } catch (IOException e) {
            countClose(closed, attackOver); // reset or closed by the server, or by the test at the end
        }
    }

    private static void countClose(AtomicInteger closed, AtomicBoolean attackOver) {
        if (!attackOver.get()) {
            closed.incrementAndGet();
        }
    }

    private static void sendFast(Socket socket, byte[] object, AtomicInteger sent, AtomicInteger closed, AtomicBoolean attackOver) {
        try {
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < OBJECTS_PER_FAST_CLIENT; i++) {
                out.write(object);
                sent.incrementAndGet();
            }
            out.flush();
        } catch (IOException e) {
            countClose(closed, attackOver);
        }
    }

    /** {"fast":"xxx...x"} of exactly 4 MiB, then '\n'. */
    private static byte[] largeObject() {
        byte[] object = new byte[OBJECT_BYTES + 1];
        Arrays.fill(object, (byte) 'x');
        byte[] head = "{\"fast\":\"".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, object, 0, head.length);
        object[OBJECT_BYTES - 2] = '"';
        object[OBJECT_BYTES - 1] = '}';
        object[OBJECT_BYTES] = '\n';
        return object;
    }

    /** Every line of the local store that the ordinary client sent; fails on a duplicate. */
    private static Set<String> ordinaryLinesStored(Path objects) throws IOException {
        Set<String> lines = new HashSet<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(objects)) {
            files = walk.filter(file -> file.toString().endsWith(".json.gz")).toList();
        }
        for (Path file : files) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                    new GZIPInputStream(Files.newInputStream(file), 1 << 16), StandardCharsets.UTF_8), 1 << 16)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.startsWith("{\"ordinary\":")) {
                        assertThat(lines.add(line)).as("stored once: %s", line).isTrue();
                    }
                }
            }
        }
        return lines;
    }

    /** VmHWM of /proc/PID/status: the process's peak resident set. */
    private static long peakRssBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new AssertionError("no VmHWM in /proc/" + pid + "/status");
    }

    private static MetricsEndpoint metrics(ChildProgram program) {
        Matcher matcher = MONITORING.matcher(program.outputText());
        assertThat(matcher.find()).as(program.outputText()).isTrue();
        return new MetricsEndpoint(new InetSocketAddress(matcher.group(1), Integer.parseInt(matcher.group(2))));
    }

    /** The program's last lines other than the WARN lines of closed attackers. */
    private static String tail(ChildProgram program) {
        List<String> lines = program.output().stream().filter(line -> !line.contains("the memory for all connections")).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    /**
     * Small objects at a steady pace through a small send buffer, so that a write blocks soon after
     * the server stops reading: the longest write says how long the server left it unread.
     */
    private static final class OrdinaryClient implements Runnable {

        private final InetSocketAddress address;
        private final Set<String> expected = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final AtomicLong longestWrite = new AtomicLong();
        private final AtomicInteger slowWrites = new AtomicInteger();
        private volatile boolean stopping;
        private volatile Throwable failure;
        private volatile String localAddress = "not connected";

        OrdinaryClient(InetSocketAddress address) {
            this.address = address;
        }

        @Override
        public void run() {
            try (Socket socket = new Socket()) {
                socket.setSendBufferSize(8 * 1024);
                socket.connect(address);
                localAddress = socket.getLocalSocketAddress().toString();
                OutputStream out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                long next = System.nanoTime();
                for (int i = 0; !stopping; i++) {
                    String line = "{\"ordinary\":" + i + ",\"level\":\"info\",\"message\":\"" + "m".repeat(150) + "\"}";
                    long before = System.nanoTime();
                    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    long took = System.nanoTime() - before;
                    expected.add(line);
                    longestWrite.accumulateAndGet(took, Math::max);
                    if (took > Duration.ofMillis(100).toNanos()) {
                        slowWrites.incrementAndGet();
                    }
                    next += ORDINARY_PERIOD.toNanos();
                    long pause = next - System.nanoTime();
                    if (pause > 0) {
                        Thread.sleep(Duration.ofNanos(pause)); // the client's pace, not a wait for the program
                    }
                }
                if (in.available() > 0) {
                    throw new AssertionError("the server wrote to the client");
                }
            } catch (Throwable e) {
                failure = e;
            }
        }

        String localAddress() {
            return localAddress;
        }

        void stop() {
            stopping = true;
        }

        Throwable failure() {
            return failure;
        }

        Set<String> expected() {
            return expected;
        }

        int sent() {
            return expected.size();
        }

        long longestWriteNanos() {
            return longestWrite.get();
        }

        int slowWrites() {
            return slowWrites.get();
        }
    }
}
