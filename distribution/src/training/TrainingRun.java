import io.s3logger.adapter.s3.S3ProxyServer;
import io.s3logger.domain.testing.LogEventGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The AOT cache's training run (JEP 483/514/515), at package time: the distribution's own launcher
 * (its runtime and JVM flags) with {@code JAVA_OPTS=-XX:AOTCacheOutput=CACHE}, storing into an
 * in-process S3Proxy on loopback (the tests' server; the S3 client is most of what the program
 * loads, and the local store adds a few classes only), fed realistic events (compact and
 * pretty-printed, the benchmarks' generator with another seed) over several loopback connections,
 * its /metrics, /healthz and /readyz asked, then stopped with SIGTERM as a service manager does;
 * the JVM writes the cache on that exit. Segments of 32 MiB raw go up in 5 MiB parts, the last,
 * smaller one in one request: both ways of uploading are trained. A second run on the local store
 * (4 MiB segments) makes a second cache for it, without the S3 client, which the launcher picks
 * when the program stores locally: loading the S3 client's classes from a cache still costs about
 * 0.1 CPU-second and 25 MB at start. The JVM checks the jar's size and modification time (to the
 * second) against the cache's, so the jar first gets the build's time, which the .deb gives every
 * file (jdeb's outputTimestamp) and the .tar.gz keeps. Every step has a deadline, so a stuck run fails the build instead of hanging it. On a runtime
 * older than JDK 25 (no -XX:AOTCacheOutput) it makes no cache and the launcher runs without one.
 *
 * <pre>
 * java -cp CLASSPATH TrainingRun DISTRIBUTION_DIR WORK_DIR MEGABYTES BUILD_TIME s3|local
 * </pre>
 * with BUILD_TIME in ISO 8601 (UTC), such as {@code 2026-12-01T17:49:16Z}; s3 makes
 * lib/s3logger.aot, local lib/s3logger-local.aot.
 */
public final class TrainingRun {

    private static final Pattern LISTENING = Pattern.compile("s3logger \\S+ listening on \\S*:(\\d+)");
    private static final Pattern SERVING = Pattern.compile("Serving /metrics.* on http://([^:\\s]+):(\\d+)");
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration SEND = Duration.ofSeconds(120);
    /** SIGTERM to exit, the cache's assembly in a child JVM included. */
    private static final Duration EXIT = Duration.ofSeconds(180);
    private static final int CONNECTIONS = 8;
    private static final int PRETTY_CONNECTIONS = 2;
    private static final String BUCKET = "training";

    private TrainingRun() {}

    public static void main(String[] args) throws Exception {
        Path distribution = Path.of(args[0]);
        Path work = Path.of(args[1]);
        long totalBytes = Long.parseLong(args[2]) * 1_000_000;
        FileTime buildTime = FileTime.from(Instant.parse(args[3]));
        boolean s3Store = switch (args[4]) {
            case "s3" -> true;
            case "local" -> false;
            default -> throw new IllegalArgumentException("the store is s3 or local, not " + args[4]);
        };
        Path cache = distribution.resolve(s3Store ? "lib/s3logger.aot" : "lib/s3logger-local.aot");
        int runtime = runtimeVersion(distribution);
        if (runtime < 25) {
            System.out.println("AOT cache: none, the bundled runtime is JDK " + runtime + " (the cache needs 25+)");
            return;
        }
        long started = System.nanoTime();
        Files.deleteIfExists(cache);
        Files.setLastModifiedTime(distribution.resolve("lib/s3logger.jar"), buildTime);
        Files.createDirectories(work);
        List<String> flags = new ArrayList<>(List.of(distribution.resolve("bin/s3logger").toString(), "-addr", "127.0.0.1:0",
                "-metrics-addr", "127.0.0.1:0", "-dir", work.resolve("spool").toString()));
        if (s3Store) {
            try (S3ProxyServer s3 = new S3ProxyServer(); S3Client client = s3.client(s3.settings(BUCKET))) {
                client.createBucket(request -> request.bucket(BUCKET));
                flags.addAll(List.of("-bucket", BUCKET, "-mb", "32", "-multipart-threshold", "5MiB", "-part-size", "5MiB"));
                train(flags, Map.of(
                        "AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY,
                        "AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY,
                        "AWS_REGION", S3ProxyServer.REGION,
                        "AWS_ENDPOINT_URL_S3", s3.endpoint().toString(),
                        "AWS_EC2_METADATA_DISABLED", "true",
                        "AWS_CONFIG_FILE", work.resolve("no-aws-config").toString(),
                        "AWS_SHARED_CREDENTIALS_FILE", work.resolve("no-aws-credentials").toString()), cache, work, totalBytes);
            }
        } else {
            flags.addAll(List.of("-local-store", work.resolve("objects").toString(), "-mb", "4"));
            train(flags, Map.of(), cache, work, totalBytes);
        }
        System.out.printf("AOT cache %s: %d MB, trained on %d MB in %.1f s%n", cache, Files.size(cache) >> 20,
                totalBytes / 1_000_000, (System.nanoTime() - started) / 1e9);
    }

    private static void train(List<String> command, Map<String, String> storeEnvironment, Path cache, Path work,
            long totalBytes) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(work.resolve("program.log").toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("S3LOGGER_") || name.startsWith("JAVA") || name.startsWith("JDK_")
                || name.startsWith("_JAVA") || name.startsWith("AWS_"));
        environment.put("JAVA_OPTS", "-XX:AOTCacheOutput=" + cache);
        environment.putAll(storeEnvironment);
        // To a file, not a pipe: the cache is assembled by a child JVM that writes to the same output
        // after the program's own threads are gone.
        Process program = builder.start();
        Path log = work.resolve("program.log");
        try {
            int port = Integer.parseInt(await(log, program, LISTENING, START).group(1));
            Matcher monitoring = await(log, program, SERVING, START);
            send(port, totalBytes);
            for (String path : List.of("/metrics", "/healthz", "/readyz")) {
                get(monitoring.group(1), Integer.parseInt(monitoring.group(2)), path);
            }
            program.destroy(); // SIGTERM
            if (!program.waitFor(EXIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("no exit within " + EXIT + " of SIGTERM");
            }
            if (program.exitValue() != 0 || !Files.isRegularFile(cache) || Files.size(cache) == 0
                    || Files.readAllLines(log).stream().noneMatch(line -> line.contains("Shutdown complete: every segment delivered"))) {
                throw new IllegalStateException("exit status " + program.exitValue() + ", no complete run or no cache " + cache);
            }
        } catch (Exception | AssertionError e) {
            program.destroyForcibly();
            System.out.println(Files.readString(log));
            throw e;
        }
    }

    private static int runtimeVersion(Path distribution) throws IOException {
        Matcher version = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)")
                .matcher(Files.readString(distribution.resolve("runtime/release")));
        return version.find() ? Integer.parseInt(version.group(1)) : 0;
    }

    private static Matcher await(Path log, Process program, Pattern pattern, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(log)) {
                Matcher matcher = pattern.matcher(line);
                if (matcher.find()) {
                    return matcher;
                }
            }
            if (!program.isAlive()) {
                throw new IllegalStateException("the program exited before printing " + pattern);
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no " + pattern + " within " + timeout);
    }

    /**
     * The events over {@link #CONNECTIONS} connections at once, some pretty-printed; each connection
     * half-closes and waits until the program has read it all and closed it.
     */
    private static void send(int port, long totalBytes) throws Exception {
        long share = totalBytes / CONNECTIONS;
        LogEventGenerator.Sample compact = LogEventGenerator.generate(share, 2);
        LogEventGenerator.Sample pretty = compact.pretty();
        List<Thread> clients = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            byte[] data = (i < PRETTY_CONNECTIONS ? pretty : compact).bytes();
            // Daemon threads: a client stuck in a write cannot keep a failed run from ending.
            clients.add(Thread.ofPlatform().daemon().start(() -> {
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    socket.setSoTimeout((int) SEND.toMillis());
                    socket.getOutputStream().write(data);
                    socket.shutdownOutput();
                    if (socket.getInputStream().read() != -1) {
                        throw new IOException("the program wrote to the client");
                    }
                } catch (IOException | RuntimeException e) {
                    failures.add(e);
                }
            }));
        }
        long deadline = System.nanoTime() + SEND.toNanos();
        for (Thread client : clients) {
            if (!client.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                throw new IllegalStateException("the events were not all read within " + SEND);
            }
        }
        if (!failures.isEmpty()) {
            throw new IOException("sending failed: " + failures);
        }
    }

    private static void get(String host, int port, String path) throws IOException {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout((int) START.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!response.startsWith("HTTP/1.1 200") && !response.startsWith("HTTP/1.0 200")) {
                throw new IOException(path + " answered " + response.lines().findFirst().orElse("nothing"));
            }
        }
    }
}
