package io.s3logger.adapter.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile and massive load shapes on real loopback sockets (issues 4 and 5): many idle
 * connections, slowloris clients, and a fast client that must still get all its objects through.
 * No timing is asserted; everything must arrive. The module's tests run with -Xmx256m (pom.xml),
 * so the 10,000-connection case also checks that they fit in that heap.
 */
class LoadShapesTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int IDLE_CONNECTIONS = 10_000;
    /** Descriptors this JVM needs besides the server ends: jars, pipes, the fast client, ... */
    private static final long SPARE_DESCRIPTORS = 500;

    @RegisterExtension
    final ListenerFixture fixture = new ListenerFixture(PATIENCE);

    private TcpIngestServer started(CountingIngest ingest) throws IOException {
        return fixture.started(new TcpSettings("127.0.0.1", 0), ingest);
    }

    @Test
    void tenThousandIdleConnectionsDoNotStopAFastClient() throws Exception {
        CountingIngest ingest = new CountingIngest();
        TcpIngestServer server = started(ingest);
        int wanted = (int) Math.min(IDLE_CONNECTIONS, descriptorsLeft() - SPARE_DESCRIPTORS);
        long heapBefore = heapUsedAfterGc();

        Process idle = idleClients(server, wanted);
        int connected = awaitConnected(idle);
        if (connected < IDLE_CONNECTIONS) {
            System.out.printf("LoadShapesTest: only %d of %d idle connections fit here (open-files limit %d)%n",
                    connected, IDLE_CONNECTIONS, maxDescriptors());
        }
        assertThat(connected).as("idle connections opened").isGreaterThan(Math.min(1_000, wanted / 2));
        await().atMost(PATIENCE).until(() -> server.listenerStatus().connectionsOpen() == connected);
        long heapIdle = heapUsedAfterGc();
        System.out.printf("LoadShapesTest: %d idle connections held, heap used %d MiB of at most %d MiB (%d bytes per connection)%n",
                connected, heapIdle >> 20, Runtime.getRuntime().maxMemory() >> 20, (heapIdle - heapBefore) / connected);

        long sent = sendFast(server, 40);
        await().atMost(PATIENCE).until(() -> ingest.lines() == sent);
        assertThat(ingest.badBatches()).isZero();
        await().atMost(PATIENCE).until(() -> server.listenerStatus().connectionsOpen() == connected);

        server.close();
        assertThat(server.listenerStatus().closes().byShutdown()).isEqualTo(connected);
        assertThat(server.listenerStatus().connectionsOpen()).isZero();
    }

    @Test
    void thousandSlowlorisClientsDoNotStopAFastClient() throws Exception {
        CountingIngest ingest = new CountingIngest();
        TcpIngestServer server = started(ingest);
        int slowClients = 1_000;
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < slowClients; i++) {
            Socket socket = new Socket(server.boundAddress().getAddress(), server.boundAddress().getPort());
            fixture.closeAfter(socket);
            slow.add(socket);
        }
        ScheduledExecutorService dribbler = Executors.newScheduledThreadPool(2);
        fixture.closeAfter(dribbler::shutdownNow);
        for (int i = 0; i < slowClients; i++) {
            // One byte per second each; at that pace no object completes while the test runs.
            byte[] object = ("{\"slow\":" + i + ",\"pad\":\"" + "s".repeat(200) + "\"}\n").getBytes(StandardCharsets.US_ASCII);
            OutputStream out = slow.get(i).getOutputStream();
            AtomicInteger next = new AtomicInteger();
            dribbler.scheduleAtFixedRate(() -> {
                try {
                    out.write(object[next.getAndIncrement() % object.length]);
                } catch (IOException e) {
                    throw new IllegalStateException("connection closed", e); // ends this client's schedule
                }
            }, i, 1_000, TimeUnit.MILLISECONDS);
        }
        await().atMost(PATIENCE).until(() -> server.listenerStatus().connectionsOpen() == slowClients && server.listenerStatus().bytesReceived() >= slowClients);

        long sent = sendFast(server, 40);
        await().atMost(PATIENCE).until(() -> ingest.lines() == sent);
        assertThat(ingest.badBatches()).isZero();
        await().atMost(PATIENCE).until(() -> server.listenerStatus().connectionsOpen() == slowClients);

        server.close();
        assertThat(server.listenerStatus().closes().byShutdown()).isEqualTo(slowClients);
        assertThat(ingest.lines()).as("no slow object completed").isEqualTo(sent);
    }

    /** Sends {@code mebibytes} MiB of small objects as fast as the socket takes them; returns the object count. */
    private static long sendFast(TcpIngestServer server, int mebibytes) throws IOException {
        StringBuilder chunk = new StringBuilder();
        int perChunk = 0;
        while (chunk.length() < (1 << 20) - 200) {
            chunk.append("{\"fast\":").append(perChunk++).append(",\"msg\":\"").append("f".repeat(perChunk % 100)).append("\"}\n");
        }
        byte[] bytes = chunk.toString().getBytes(StandardCharsets.US_ASCII);
        try (Socket fast = new Socket(server.boundAddress().getAddress(), server.boundAddress().getPort())) {
            OutputStream out = fast.getOutputStream();
            for (int i = 0; i < mebibytes; i++) {
                out.write(bytes);
            }
        }
        return (long) perChunk * mebibytes;
    }

    private Process idleClients(TcpIngestServer server, int count) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String classPath = Path.of(IdleClients.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
        Process process = new ProcessBuilder(java.toString(), "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classPath, IdleClients.class.getName(),
                server.boundAddress().getAddress().getHostAddress(), Integer.toString(server.boundAddress().getPort()),
                Integer.toString(count))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        fixture.closeAfter(() -> {
            process.getOutputStream().close(); // the child closes its connections and exits
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        });
        return process;
    }

    private static int awaitConnected(Process idle) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(idle.getInputStream(), StandardCharsets.US_ASCII));
        String line = out.readLine(); // bounded: the child prints once it has tried every connection
        assertThat(line).as("idle clients' report").startsWith("connected ");
        if (line.indexOf(' ', "connected ".length()) > 0) {
            System.out.println("LoadShapesTest: idle clients stopped early: " + line);
        }
        return Integer.parseInt(line.split(" ")[1]);
    }

    private static long descriptorsLeft() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os) {
            return os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount();
        }
        return Long.MAX_VALUE;
    }

    private static long maxDescriptors() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os ? os.getMaxFileDescriptorCount() : -1;
    }

    private static long heapUsedAfterGc() {
        ManagementFactory.getMemoryMXBean().gc(); // for the printed measurement only
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
