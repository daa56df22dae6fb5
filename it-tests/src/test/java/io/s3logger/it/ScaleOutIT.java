package io.s3logger.it;

import static io.s3logger.it.MetricsEndpoint.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.s3logger.adapter.s3.S3ProxyExtension;
import io.s3logger.adapter.s3.S3ProxyServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of the fat jar, each with its own spool, sharing one bucket on an in-process
 * S3Proxy, with clients spread over both as a TCP load balancer would: every object lands exactly
 * once, no key is written twice, and stopping one instance does not disturb the other.
 */
class ScaleOutIT {

    private static final String BUCKET = "shared";
    private static final Duration EXIT = Duration.ofSeconds(60);
    private static final Pattern MONITORING = Pattern.compile("Serving /metrics, /healthz and /readyz on http://([^:]+):(\\d+)");
    private static final Pattern SEALED = Pattern.compile("Sealed segment (\\w+):");

    @RegisterExtension
    static final S3ProxyExtension s3 = new S3ProxyExtension();

    @TempDir
    Path work;

    @BeforeAll
    static void createBucket() {
        s3.client().createBucket(request -> request.bucket(BUCKET));
    }

    /** One instance: the S3 endpoint and region by flag, the key pair from the environment as the SDK reads it. */
    private ChildProgram startInstance(String name) throws Exception {
        return ChildProgram.start(Map.of(
                        "AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY,
                        "AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY,
                        "AWS_EC2_METADATA_DISABLED", "true"),
                "-bucket", BUCKET, "-endpoint", s3.server().endpoint().toString(), "-region", S3ProxyServer.REGION,
                "-prefix", "logs", "-dir", work.resolve(name).toString(), "-addr", "127.0.0.1:0",
                "-metrics-addr", "127.0.0.1:0", "-t", "1s", "-mb", "1", "-retry-initial", "200ms", "-retry-max", "1s");
    }

    private static MetricsEndpoint metrics(ChildProgram program) {
        Matcher matcher = MONITORING.matcher(program.outputText());
        assertThat(matcher.find()).as(program.outputText()).isTrue();
        return new MetricsEndpoint(new InetSocketAddress(matcher.group(1), Integer.parseInt(matcher.group(2))));
    }


    private static List<String> sealedSegments(ChildProgram program) {
        List<String> names = new ArrayList<>();
        Matcher matcher = SEALED.matcher(program.outputText());
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static long segmentsIn(Path spool) throws Exception {
        try (Stream<Path> files = Files.list(spool)) {
            return files.filter(path -> !path.getFileName().toString().startsWith(".")).count();
        }
    }

    @Test
    void twoInstancesBehindABalancerDeliverEveryObjectOnceAndStopIndependently() throws Exception {
        List<String> expected = new ArrayList<>();
        try (ChildProgram a = startInstance("a"); ChildProgram b = startInstance("b")) {
            InetSocketAddress addressA = a.awaitListening();
            InetSocketAddress addressB = b.awaitListening();

            expected.addAll(JsonClient.sendConcurrently(0, 12, 1_500, addressA, addressB));
            long receivedA = value(metrics(a).scrape(), "s3logger_objects_received_total");
            long receivedB = value(metrics(b).scrape(), "s3logger_objects_received_total");
            assertThat(receivedA).isEqualTo(6 * 1_500);
            assertThat(receivedB).isEqualTo(6 * 1_500);

            // A stops (as for an upgrade) while B keeps taking the whole load.
            assertThat(a.terminate(EXIT)).as(a.outputText()).isZero();
            expected.addAll(JsonClient.sendConcurrently(12, 4, 1_500, addressB));
            assertThat(metrics(b).get("/readyz").statusCode()).isEqualTo(200);
            assertThat(b.terminate(EXIT)).as(b.outputText()).isZero();

            List<String> sealed = new ArrayList<>(sealedSegments(a));
            sealed.addAll(sealedSegments(b));
            Map<String, byte[]> objects = StoredObjects.inBucket(s3.client(), BUCKET);
            objects.keySet().forEach(key -> {
                assertThat(key).startsWith("logs/dt=");
                StoredObjects.assertKeyLayout(key);
            });
            assertThat(sealedSegments(a)).as("segments sealed by instance a").isNotEmpty();
            assertThat(sealedSegments(b)).as("segments sealed by instance b").isNotEmpty();
            assertThat(sealed).as("segment names of both instances").doesNotHaveDuplicates();
            assertThat(objects).as("one object per sealed segment: no key was written twice").hasSameSizeAs(sealed);
            StoredObjects.assertExactlyOnce(StoredObjects.allLines(objects.values()), expected);
            assertThat(segmentsIn(work.resolve("a"))).isZero();
            assertThat(segmentsIn(work.resolve("b"))).isZero();
        }
    }
}
