package io.s3logger.adapter.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.s3logger.domain.model.ObjectKey;
import io.s3logger.domain.port.out.ObjectStoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * S3ObjectStore against S3Proxy behind a real faulty TCP proxy on loopback: a store that lies
 * about what it stored, one that stalls, and one that crawls.
 */
class S3ObjectStoreFaultsTest {

    private static final ObjectKey KEY = new ObjectKey("dt=2024-05-01/20240501T000000_00000000000000e0.json.gz");

    @RegisterExtension
    static final S3ProxyExtension s3 = new S3ProxyExtension();

    @TempDir
    Path dir;

    private final String bucket = "faults-" + Long.toHexString(new Random().nextLong() & Long.MAX_VALUE);
    private FaultyTcpProxy proxy;
    private S3ObjectStore store;

    @BeforeEach
    void createBucketAndProxy() throws Exception {
        s3.client().createBucket(request -> request.bucket(bucket));
        proxy = new FaultyTcpProxy(s3.server().endpoint());
    }

    @AfterEach
    void close() throws Exception {
        if (store != null) {
            store.close();
        }
        proxy.close();
    }

    private S3ObjectStore storeThroughProxy(S3Deadlines deadlines) {
        S3StoreSettings settings = s3.server().settings(bucket, proxy.endpoint());
        store = new S3ObjectStore(s3.server().client(settings, deadlines, S3ProxyServer.SECRET_KEY), settings, "",
                deadlines, S3ObjectStore.ABANDONED_AFTER, InstantSource.system());
        return store;
    }

    private Path fileOf(long bytes) throws Exception {
        byte[] content = new byte[(int) bytes];
        new Random(bytes).nextBytes(content);
        return Files.write(dir.resolve("segment-" + bytes + ".json.gz"), content);
    }

    private boolean stored(ObjectKey key) {
        return s3.client().listObjectsV2(request -> request.bucket(bucket)).contents().stream()
                .anyMatch(object -> object.key().equals(key.value()));
    }

    @Test
    void aStoreThatConfirmsWithAWrongETagWithoutStoringFailsThePut() throws Exception {
        proxy.lie(FaultyTcpProxy.Lie.WRONG_ETAG);
        Path file = fileOf(10_000);
        byte[] content = Files.readAllBytes(file);

        assertThatThrownBy(() -> storeThroughProxy(S3Deadlines.DEFAULT).put(KEY, file))
                .isInstanceOf(ObjectStoreException.class)
                .hasMessageContaining("unconfirmed upload of s3://" + bucket + "/" + KEY)
                .hasMessageContaining(FaultyTcpProxy.WRONG_ETAG);

        assertThat(stored(KEY)).isFalse();
        assertThat(file).hasBinaryContent(content);
    }

    @Test
    void aStoreThatConfirmsWithoutAnETagIsCheckedBySizeAndFailsThePut() throws Exception {
        proxy.lie(FaultyTcpProxy.Lie.NO_ETAG);
        Path file = fileOf(10_000);

        assertThatThrownBy(() -> storeThroughProxy(S3Deadlines.DEFAULT).put(KEY, file))
                .isInstanceOf(ObjectStoreException.class)
                .hasMessageContaining("holds 0 bytes instead of 10000");

        assertThat(stored(KEY)).isFalse();
    }

    @Test
    void aStalledStoreFailsThePutWithinTheCallTimeout() throws Exception {
        proxy.stallAfter(0);
        S3Deadlines deadlines = new S3Deadlines(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 1 << 20);
        S3ObjectStore store = storeThroughProxy(deadlines);
        Path file = fileOf(100_000);

        long started = System.nanoTime();
        // Without deadlines the put would wait for ever: fail instead of hanging the build.
        assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
                assertThatThrownBy(() -> store.put(KEY, file)).isInstanceOf(ObjectStoreException.class));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).isLessThan(deadlines.callTimeout(100_000).plusSeconds(2));
        assertThat(stored(KEY)).isFalse();
    }

    @Test
    void anInterruptDuringAStalledMultipartUploadEndsItPromptlyAndAbortsTheUpload() throws Exception {
        // The small CreateMultipartUpload passes; the first 5 MiB part stalls after 1 MiB.
        proxy.stallAfter(1 << 20);
        S3Deadlines patient = new S3Deadlines(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(60), 1 << 20);
        S3ObjectStore store = storeThroughProxy(patient);
        Path file = fileOf(12L << 20);
        byte[] content = Files.readAllBytes(file);

        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread uploader = Thread.ofPlatform().start(() -> {
            try {
                store.put(KEY, file);
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(Thread.currentThread().isInterrupted() ? t : new AssertionError("interrupt lost", t));
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> proxy.stalledConnections() > 0);
        assertThat(s3.client().listMultipartUploads(request -> request.bucket(bucket)).uploads()).hasSize(1);
        // New connections (the abort) go through.
        proxy.stallAfter(Long.MAX_VALUE);

        long interrupted = System.nanoTime();
        uploader.interrupt();
        Throwable failure = outcome.get(S3Deadlines.ABORT_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - interrupted);

        assertThat(failure).isInstanceOf(ObjectStoreException.class);
        assertThat(took).isLessThan(Duration.ofSeconds(3));
        assertThat(s3.client().listMultipartUploads(request -> request.bucket(bucket)).uploads()).isEmpty();
        assertThat(stored(KEY)).isFalse();
        assertThat(file).hasBinaryContent(content);
    }

    @Test
    void aSlowStoreGetsTimeInProportionToTheBody() throws Exception {
        // 100 KB/s: 300 KB take 3 s, more than the 1 s a call without a body gets.
        proxy.limitTo(100_000);
        S3Deadlines deadlines = new S3Deadlines(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(1), 50_000);
        Path file = fileOf(300_000);

        storeThroughProxy(deadlines).put(KEY, file);

        assertThat(s3.client().getObjectAsBytes(request -> request.bucket(bucket).key(KEY.value())).asByteArray())
                .isEqualTo(Files.readAllBytes(file));
    }
}
