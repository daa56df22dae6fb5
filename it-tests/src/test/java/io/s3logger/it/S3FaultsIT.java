package io.s3logger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.s3logger.adapter.s3.FaultyTcpProxy;
import io.s3logger.adapter.s3.S3ProxyExtension;
import io.s3logger.adapter.s3.S3ProxyServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fat jar uploading to S3Proxy through a real faulty TCP proxy on loopback: a store that
 * stalls or crawls in the middle of a multipart upload when SIGTERM comes, and one that confirms
 * uploads it never stored.
 */
class S3FaultsIT {

    private static final Duration EXIT = Duration.ofSeconds(90);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(3);

    @RegisterExtension
    static final S3ProxyExtension s3 = new S3ProxyExtension();

    @TempDir
    Path work;

    private FaultyTcpProxy proxy;

    @BeforeEach
    void startProxy() throws Exception {
        proxy = new FaultyTcpProxy(s3.server().endpoint());
    }

    @AfterEach
    void stopProxy() throws Exception {
        proxy.close();
    }

    private ChildProgram start(String bucket, String... flags) throws Exception {
        s3.client().createBucket(request -> request.bucket(bucket));
        List<String> args = new ArrayList<>(List.of("-bucket", bucket, "-addr", "127.0.0.1:0",
                "-dir", work.resolve("spool").toString(), "-multipart-threshold", "5MiB", "-part-size", "5MiB",
                "-retry-initial", "200ms", "-retry-max", "1s", "-metrics-addr", ""));
        args.addAll(List.of(flags));
        return ChildProgram.start(Map.of(
                "AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY,
                "AWS_REGION", S3ProxyServer.REGION,
                "AWS_ENDPOINT_URL_S3", proxy.endpoint().toString(),
                "AWS_EC2_METADATA_DISABLED", "true"), args.toArray(String[]::new));
    }

    /** About 9 MB of incompressible lines: a first segment of 8 MiB goes up in parts. */
    private static List<String> sendLargeSegment(InetSocketAddress address) throws Exception {
        Random random = new Random(11);
        byte[] noise = new byte[4_500];
        List<String> lines = new ArrayList<>();
        StringBuilder payload = new StringBuilder();
        for (int i = 0; i < 1_800; i++) {
            random.nextBytes(noise);
            String line = "{\"i\":" + i + ",\"noise\":\"" + Base64.getEncoder().encodeToString(noise) + "\"}";
            lines.add(line);
            payload.append(line).append('\n');
        }
        try (var socket = new java.net.Socket(address.getAddress(), address.getPort())) {
            socket.getOutputStream().write(payload.toString().getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();
            JsonClient.awaitServerClose(socket.getInputStream());
        }
        return lines;
    }

    private List<byte[]> spoolSegments() throws Exception {
        List<byte[]> contents = new ArrayList<>();
        try (Stream<Path> files = Files.list(work.resolve("spool"))) {
            for (Path path : files.filter(path -> path.getFileName().toString().endsWith(".json.gz")).toList()) {
                contents.add(Files.readAllBytes(path));
            }
        }
        return contents;
    }

    /** SIGTERM while a part is stuck: exit soon after the deadline, the upload aborted, the file kept. */
    private void sigtermDuringAStuckMultipartUpload(String bucket) throws Exception {
        List<String> expected;
        Duration stopped;
        try (ChildProgram program = start(bucket, "-mb", "8", "-t", "1h",
                "-shutdown-timeout", SHUTDOWN_TIMEOUT.toSeconds() + "s")) {
            expected = sendLargeSegment(program.awaitListening());
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    !s3.client().listMultipartUploads(request -> request.bucket(bucket)).uploads().isEmpty());

            long signalled = System.nanoTime();
            assertThat(program.terminate(EXIT)).as(program.outputText()).isZero();
            stopped = Duration.ofNanos(System.nanoTime() - signalled);
            System.out.printf("S3FaultsIT %s: SIGTERM to exit %d ms (shutdown timeout %s)%n",
                    bucket, stopped.toMillis(), SHUTDOWN_TIMEOUT);
        }
        // The deadline, the abort (at most 5 s), the JVM's exit.
        assertThat(stopped).isLessThan(SHUTDOWN_TIMEOUT.plusSeconds(7));
        assertThat(s3.client().listMultipartUploads(request -> request.bucket(bucket)).uploads()).isEmpty();
        List<byte[]> everything = new ArrayList<>(spoolSegments());
        everything.addAll(StoredObjects.inBucket(s3.client(), bucket).values());
        StoredObjects.assertExactlyOnce(StoredObjects.allLines(everything), expected);
        assertThat(spoolSegments()).as("the stuck segment stays in the spool").isNotEmpty();
    }

    @Test
    void aStalledStoreAtSigtermExitsSoonAfterTheDeadlineAndLeavesNoMultipartUpload() throws Exception {
        proxy.stallAfter(1 << 20);
        sigtermDuringAStuckMultipartUpload("stalled");
    }

    @Test
    void aCrawlingStoreAtSigtermExitsSoonAfterTheDeadlineAndLeavesNoMultipartUpload() throws Exception {
        proxy.limitTo(100_000);
        sigtermDuringAStuckMultipartUpload("crawling");
    }

    @Test
    void aStoreThatConfirmsWithoutStoringNeverEmptiesTheSpool() throws Exception {
        proxy.lie(FaultyTcpProxy.Lie.WRONG_ETAG);
        List<String> expected;
        String output;
        try (ChildProgram program = start("lied-to", "-t", "1s", "-shutdown-timeout", "1s")) {
            expected = JsonClient.sendConcurrently(0, 2, 300, program.awaitListening());
            await().atMost(Duration.ofSeconds(60)).until(() -> program.outputText().contains("unconfirmed upload"));
            assertThat(program.terminate(EXIT)).isZero();
            output = program.outputText();
        }
        assertThat(output).contains("failed (attempt").contains(FaultyTcpProxy.WRONG_ETAG);
        assertThat(StoredObjects.inBucket(s3.client(), "lied-to")).isEmpty();
        StoredObjects.assertExactlyOnce(StoredObjects.allLines(spoolSegments()), expected);
    }
}
