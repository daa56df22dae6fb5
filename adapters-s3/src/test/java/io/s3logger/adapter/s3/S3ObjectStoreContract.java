package io.s3logger.adapter.s3;

import io.s3logger.domain.model.ObjectKey;
import io.s3logger.domain.model.SegmentStats;
import io.s3logger.domain.port.out.ObjectStore;
import io.s3logger.domain.port.out.ObjectStoreContract;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The object store contract for {@link S3ObjectStore} on any S3-compatible server: each test
 * gets its own bucket; a subclass says how to reach the server.
 */
abstract class S3ObjectStoreContract extends ObjectStoreContract {

    protected final String bucket = "logs-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());

    /** A client with the server's keys that creates buckets and reads objects back. */
    protected abstract S3Client admin();

    /** Settings for {@code bucket} on the server. */
    protected abstract S3StoreSettings settings(String bucket);

    /** A client with the server's keys for {@code settings}, as the program builds it. */
    protected abstract S3Client client(S3StoreSettings settings);

    @Override
    protected ObjectStore newStore() {
        admin().createBucket(request -> request.bucket(bucket));
        S3StoreSettings settings = settings(bucket);
        return new S3ObjectStore(client(settings), settings, "");
    }

    @Override
    protected byte[] read(ObjectKey key) {
        try {
            return admin().getObjectAsBytes(request -> request.bucket(bucket).key(key.value())).asByteArray();
        } catch (NoSuchKeyException e) {
            return null;
        }
    }

    @Override
    protected ObjectStore newBrokenStore() {
        S3StoreSettings settings = settings(bucket + "-missing");
        return new S3ObjectStore(client(settings), settings, "");
    }

    @Test
    void eachObjectSaysWhatItHoldsAndWhoWroteItInItsMetadata() throws Exception {
        SegmentStats stats = new SegmentStats(1234, 98765, Instant.parse("2026-12-01T10:00:00.123456Z"),
                Instant.parse("2026-12-01T10:04:59.987Z"));
        ObjectKey small = new ObjectKey("dt=2026-12-01/20261201T100000_00000000000000e1.json.gz");
        ObjectKey large = new ObjectKey("dt=2026-12-01/20261201T100000_00000000000000e2.json.gz");
        ObjectKey recovered = new ObjectKey("dt=2026-12-01/20261201T100000_00000000000000e3.json.gz");

        store().put(small, fileWith(randomBytes(100, 31)), Optional.of(stats));
        store().put(large, fileWith(randomBytes(multipartSizeBytes(), 32)), Optional.of(stats));
        store().put(recovered, fileWith(randomBytes(100, 33)), Optional.empty());

        String writer = java.net.InetAddress.getLocalHost().getHostName() + "/" + ProcessHandle.current().pid();
        Map<String, String> expected = Map.of("objects", "1234", "raw-bytes", "98765",
                "first-arrival", "2026-12-01T10:00:00.123456Z", "last-arrival", "2026-12-01T10:04:59.987Z", "writer", writer);
        assertThat(metadata(small)).isEqualTo(expected);
        assertThat(metadata(large)).as("multipart").isEqualTo(expected);
        assertThat(metadata(recovered)).as("not counted by this process").isEqualTo(Map.of("writer", writer));
    }

    private Map<String, String> metadata(ObjectKey key) {
        return admin().headObject(request -> request.bucket(bucket).key(key.value())).metadata();
    }

    private static final String OURS = "app/dt=2024-05-01/20240501T000000_00000000000000d0.json.gz";
    /** Another prefix, a key not of our naming, our layout one level deeper. */
    private static final List<String> NOT_OURS = List.of(
            "other/dt=2024-05-01/20240501T000000_00000000000000d1.json.gz",
            "app/dt=2024-05-01/notes.txt",
            "app/x/dt=2024-05-01/20240501T000000_00000000000000d2.json.gz");

    /** In the bucket that the contract's store created. */
    private List<String> startUploads() {
        for (String key : concat(OURS, NOT_OURS)) {
            admin().createMultipartUpload(request -> request.bucket(bucket).key(key));
        }
        return concat(OURS, NOT_OURS);
    }

    private static List<String> concat(String first, List<String> rest) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), rest.stream()).toList();
    }

    private List<String> uploadsLeft() {
        return admin().listMultipartUploads(request -> request.bucket(bucket)).uploads().stream()
                .map(MultipartUpload::key).sorted().toList();
    }

    private void checkWith(Duration abandonedAfter) throws Exception {
        S3StoreSettings settings = settings(bucket);
        try (S3ObjectStore store = new S3ObjectStore(client(settings), settings, "/app/", S3Deadlines.DEFAULT,
                abandonedAfter, InstantSource.system())) {
            store.checkAvailable();
        }
    }

    @Test
    void atStartAbandonedMultipartUploadsUnderTheProgramsOwnKeysAreAbortedAndNoOthers() throws Exception {
        startUploads();

        checkWith(Duration.ZERO);

        assertThat(uploadsLeft()).containsExactlyElementsOf(NOT_OURS.stream().sorted().toList());
    }

    @Test
    void atStartAMultipartUploadStartedRecentlyIsLeftAlone() throws Exception {
        List<String> started = startUploads();

        checkWith(S3ObjectStore.ABANDONED_AFTER);

        assertThat(uploadsLeft()).containsExactlyElementsOf(started.stream().sorted().toList());
    }
}
