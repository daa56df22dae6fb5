package io.s3logger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.s3logger.adapter.s3.S3ProxyExtension;
import io.s3logger.adapter.s3.S3ProxyServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fat jar with -bucket against an in-process S3Proxy over real HTTP, configured the way users
 * configure the AWS SDK: AWS_ENDPOINT_URL_S3, AWS_REGION and the key pair in the environment.
 */
class S3EndToEndIT {

    private static final Duration EXIT = Duration.ofSeconds(90);
    private static final Duration DELIVERY = Duration.ofSeconds(60);

    @RegisterExtension
    static final S3ProxyExtension s3 = new S3ProxyExtension();

    @TempDir
    Path work;

    private static Map<String, String> environment(String secretKey) {
        return Map.of(
                "AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", secretKey,
                "AWS_REGION", S3ProxyServer.REGION,
                "AWS_ENDPOINT_URL_S3", s3.server().endpoint().toString(),
                "AWS_EC2_METADATA_DISABLED", "true");
    }

    private ChildProgram start(String bucket, String secretKey, String... flags) throws Exception {
        s3.client().createBucket(request -> request.bucket(bucket));
        List<String> args = new ArrayList<>(List.of("-bucket", bucket, "-addr", "127.0.0.1:0",
                "-dir", work.resolve("spool").toString(), "-multipart-threshold", "5MiB", "-part-size", "5MiB",
                "-retry-initial", "200ms", "-retry-max", "1s"));
        args.addAll(List.of(flags));
        return ChildProgram.start(environment(secretKey), args.toArray(String[]::new));
    }

    private static Map<String, byte[]> objects(String bucket) {
        return StoredObjects.inBucket(s3.client(), bucket);
    }


    private List<Path> spoolSegments() throws Exception {
        try (Stream<Path> files = Files.list(work.resolve("spool"))) {
            return files.filter(path -> !path.getFileName().toString().startsWith(".")).toList();
        }
    }

    @Test
    void manyClientsAndSeveralRotationsThenSigtermLeaveEveryObjectOnceInTheBucketAndTheSpoolEmpty() throws Exception {
        try (ChildProgram program = start("many", S3ProxyServer.SECRET_KEY, "-mb", "1", "-t", "1h", "-prefix", "/app//logs/")) {
            List<String> expected = JsonClient.sendConcurrently(0, 20, 2_000, program.awaitListening());

            assertThat(program.terminate(EXIT)).as(program.outputText()).isZero();

            Map<String, byte[]> objects = objects("many");
            assertThat(objects).hasSizeGreaterThan(3);
            objects.keySet().forEach(key -> {
                assertThat(key).startsWith("app/logs/dt=");
                StoredObjects.assertKeyLayout(key);
            });
            StoredObjects.assertExactlyOnce(StoredObjects.allLines(objects.values()), expected);
            assertThat(spoolSegments()).isEmpty();
            assertThat(program.outputText()).contains("Object store s3://many prefix app/logs is reachable");

            // Each object's metadata says what it holds: the counts add up without a download.
            String writer = java.net.InetAddress.getLocalHost().getHostName() + "/" + program.pid();
            long counted = 0;
            for (Map.Entry<String, byte[]> object : objects.entrySet()) {
                Map<String, String> metadata = s3.client().headObject(request -> request.bucket("many").key(object.getKey())).metadata();
                List<String> lines = StoredObjects.lines(object.getValue());
                assertThat(metadata).as(object.getKey()).containsEntry("objects", Integer.toString(lines.size()))
                        .containsEntry("raw-bytes", Long.toString(lines.stream()
                                .mapToLong(line -> line.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1).sum()))
                        .containsEntry("writer", writer);
                assertThat(java.time.Instant.parse(metadata.get("first-arrival")))
                        .isBeforeOrEqualTo(java.time.Instant.parse(metadata.get("last-arrival")));
                counted += Long.parseLong(metadata.get("objects"));
            }
            assertThat(counted).isEqualTo(expected.size());
        }
    }

    @Test
    void aSegmentLargerThanThePartSizeGoesUpInParts() throws Exception {
        Random random = new Random(3);
        try (ChildProgram program = start("big", S3ProxyServer.SECRET_KEY, "-mb", "0", "-t", "1h")) {
            InetSocketAddress address = program.awaitListening();
            StringBuilder payload = new StringBuilder();
            List<String> expected = new ArrayList<>();
            byte[] noise = new byte[4500];
            for (int i = 0; i < 1_500; i++) {
                random.nextBytes(noise);
                String line = "{\"i\":" + i + ",\"noise\":\"" + Base64.getEncoder().encodeToString(noise) + "\"}";
                expected.add(line);
                payload.append(line).append('\n');
            }
            try (var socket = new java.net.Socket(address.getAddress(), address.getPort())) {
                socket.getOutputStream().write(payload.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                socket.shutdownOutput();
                JsonClient.awaitServerClose(socket.getInputStream());
            }

            assertThat(program.terminate(EXIT)).as(program.outputText()).isZero();

            Map<String, byte[]> objects = objects("big");
            assertThat(objects).hasSize(1);
            String key = objects.keySet().iterator().next();
            assertThat(objects.get(key).length).isGreaterThan(5 << 20);
            assertThat(StoredObjects.allLines(objects.values())).containsExactlyElementsOf(expected);
            // S3 (and S3Proxy) give a multipart object an ETag of "<md5 of part md5s>-<parts>".
            assertThat(s3.client().headObject(request -> request.bucket("big").key(key)).eTag()).matches("\"?[0-9a-f]{32}-2\"?");
        }
    }

    @Test
    void aStoreThatIsDownAtStartGetsEverythingWhenItComesUp() throws Exception {
        s3.client().createBucket(request -> request.bucket("late"));
        s3.server().stop();
        List<String> expected;
        try (ChildProgram program = ChildProgram.start(environment(S3ProxyServer.SECRET_KEY), "-bucket", "late",
                "-addr", "127.0.0.1:0", "-dir", work.resolve("spool").toString(), "-t", "1s",
                "-retry-initial", "200ms", "-retry-max", "1s")) {
            InetSocketAddress address = program.awaitListening();
            await().atMost(DELIVERY).until(() -> program.outputText().contains("cannot be used now"));
            expected = JsonClient.sendConcurrently(0, 4, 500, address);
            await().atMost(DELIVERY).until(() -> program.outputText().contains("failed (attempt"));
            assertThat(spoolSegments()).as("segments wait in the spool while the store is down").isNotEmpty();

            s3.server().start();
            await().atMost(DELIVERY).until(() -> StoredObjects.allLines(objects("late").values()).size() == expected.size());

            assertThat(program.terminate(EXIT)).isZero();
        }
        StoredObjects.assertExactlyOnce(StoredObjects.allLines(objects("late").values()), expected);
        assertThat(spoolSegments()).isEmpty();
    }

    @Test
    void aStoreThatGoesDownUnderLoadAndComesBackLosesNothing() throws Exception {
        List<String> expected = new ArrayList<>();
        try (ChildProgram program = start("flaky", S3ProxyServer.SECRET_KEY, "-t", "1s", "-mb", "1",
                "-shutdown-timeout", "60s")) {
            InetSocketAddress address = program.awaitListening();
            int client = 0;
            for (int round = 0; round < 9; round++) {
                if (round == 3) {
                    s3.server().stop();
                }
                if (round == 6) {
                    await().atMost(DELIVERY).until(() -> program.outputText().contains("failed (attempt"));
                    s3.server().start();
                }
                expected.addAll(JsonClient.sendConcurrently(client, 4, 1_000, address));
                client += 4;
            }

            assertThat(program.terminate(EXIT)).as(program.outputText()).isZero();
        }
        Map<String, byte[]> objects = objects("flaky");
        objects.keySet().forEach(StoredObjects::assertKeyLayout);
        StoredObjects.assertExactlyOnce(StoredObjects.allLines(objects.values()), expected);
        assertThat(spoolSegments()).isEmpty();
    }

    @Test
    void wrongCredentialsKeepTheFilesInTheSpoolAndNeverLogTheSecret() throws Exception {
        String wrongSecret = "wrong-secret-do-not-log-4b1d9c";
        List<String> expected;
        String output;
        try (ChildProgram program = start("denied", wrongSecret, "-t", "1s", "-shutdown-timeout", "2s")) {
            expected = JsonClient.sendConcurrently(0, 2, 300, program.awaitListening());
            await().atMost(DELIVERY).until(() -> program.outputText().contains("failed (attempt"));

            assertThat(program.terminate(EXIT)).isZero();
            output = program.outputText();
        }

        assertThat(output).contains("403").doesNotContain(wrongSecret).doesNotContain(S3ProxyServer.SECRET_KEY);
        assertThat(objects("denied")).isEmpty();
        List<Path> kept = spoolSegments();
        assertThat(kept).isNotEmpty().allMatch(path -> path.getFileName().toString().endsWith(".json.gz"));
        List<byte[]> contents = new ArrayList<>();
        for (Path path : kept) {
            contents.add(Files.readAllBytes(path));
        }
        StoredObjects.assertExactlyOnce(StoredObjects.allLines(contents), expected);
    }
}
