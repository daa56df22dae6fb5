package io.s3logger.adapter.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3logger.domain.model.ObjectKey;
import io.s3logger.domain.port.out.ObjectStoreException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/** The object store contract and the S3 specifics against an in-process S3Proxy over HTTP. */
class S3ProxyObjectStoreTest extends S3ObjectStoreContract {

    @RegisterExtension
    static final S3ProxyExtension s3 = new S3ProxyExtension();

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeExtraStores() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    @Override
    protected S3Client admin() {
        return s3.client();
    }

    @Override
    protected S3StoreSettings settings(String bucket) {
        return s3.server().settings(bucket);
    }

    @Override
    protected S3Client client(S3StoreSettings settings) {
        return s3.server().client(settings);
    }

    private S3ObjectStore storeWith(S3StoreSettings settings, String secretKey, RecordingInterceptor interceptor) {
        S3ObjectStore store = new S3ObjectStore(s3.server().client(settings, secretKey, interceptor), settings, "");
        toClose.add(store);
        return store;
    }

    private S3ObjectStore storeWith(S3StoreSettings settings, RecordingInterceptor interceptor) {
        return storeWith(settings, S3ProxyServer.SECRET_KEY, interceptor);
    }

    private HeadObjectResponse head(ObjectKey key) {
        return s3.client().headObject(request -> request.bucket(bucket).key(key.value()));
    }

    private static String md5(byte[] content, int from, int to) throws Exception {
        return Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("MD5").digest(Arrays.copyOfRange(content, from, to)));
    }

    @Test
    void largeFileGoesUpInPartsOfTheConfiguredSizeEachWithItsMd5() throws Exception {
        RecordingInterceptor recorder = new RecordingInterceptor();
        S3ObjectStore store = storeWith(s3.server().settings(bucket), recorder);
        int mib = 1024 * 1024;
        byte[] content = randomBytes(12L * mib, 7);
        ObjectKey key = new ObjectKey("dt=2024-05-01/20240501T000000_00000000000000aa.json.gz");

        store.put(key, fileWith(content));

        List<SdkHttpRequest> parts = recorder.requests("UploadPart");
        assertThat(parts).hasSize(3);
        assertThat(parts).extracting(p -> p.firstMatchingHeader("Content-Length").orElseThrow())
                .containsExactly(String.valueOf(5 * mib), String.valueOf(5 * mib), String.valueOf(2 * mib));
        assertThat(parts).extracting(p -> p.firstMatchingHeader("Content-MD5").orElseThrow())
                .containsExactly(md5(content, 0, 5 * mib), md5(content, 5 * mib, 10 * mib), md5(content, 10 * mib, 12 * mib));
        assertThat(recorder.operations()).doesNotContain("PutObject", "AbortMultipartUpload");
        assertThat(head(key).contentLength()).isEqualTo(content.length);
        assertThat(read(key)).isEqualTo(content);
    }

    @Test
    void smallFileGoesUpInOnePutWithItsMd5() throws Exception {
        RecordingInterceptor recorder = new RecordingInterceptor();
        S3ObjectStore store = storeWith(s3.server().settings(bucket), recorder);
        byte[] content = randomBytes(5L * 1024 * 1024 - 1, 8);
        ObjectKey key = new ObjectKey("dt=2024-05-01/20240501T000000_00000000000000ab.json.gz");

        store.put(key, fileWith(content));

        assertThat(recorder.operations()).containsExactly("PutObject");
        assertThat(recorder.requests("PutObject").getFirst().firstMatchingHeader("Content-MD5"))
                .contains(md5(content, 0, content.length));
        assertThat(read(key)).isEqualTo(content);
    }

    @Test
    void objectsAreGzipWithoutContentEncoding() throws Exception {
        ObjectKey small = new ObjectKey("dt=2024-05-01/20240501T000000_00000000000000ac.json.gz");
        ObjectKey large = new ObjectKey("dt=2024-05-01/20240501T000000_00000000000000ad.json.gz");

        store().put(small, fileWith(randomBytes(10, 9)));
        store().put(large, fileWith(randomBytes(6L * 1024 * 1024, 10)));

        for (ObjectKey key : List.of(small, large)) {
            HeadObjectResponse head = head(key);
            assertThat(head.contentType()).isEqualTo("application/gzip");
            assertThat(head.contentEncoding()).isNull();
        }
    }

    @Test
    void configuredContentEncodingStorageClassAndEncryptionAreSent() throws Exception {
        RecordingInterceptor recorder = new RecordingInterceptor();
        S3StoreSettings settings = s3.server().settings(
                bucket, Optional.of("STANDARD_IA"), Optional.of("AES256"), Optional.of("gzip"));
        S3ObjectStore store = storeWith(settings, recorder);
        ObjectKey small = new ObjectKey("dt=2024-05-01/20240501T000000_00000000000000ae.json.gz");
        ObjectKey large = new ObjectKey("dt=2024-05-01/20240501T000000_00000000000000af.json.gz");

        store.put(small, fileWith(randomBytes(10, 11)));
        store.put(large, fileWith(randomBytes(6L * 1024 * 1024, 12)));

        List<SdkHttpRequest> creating = new ArrayList<>(recorder.requests("PutObject"));
        creating.addAll(recorder.requests("CreateMultipartUpload"));
        assertThat(creating).hasSize(2).allSatisfy(request -> {
            assertThat(request.firstMatchingHeader("x-amz-storage-class")).contains("STANDARD_IA");
            assertThat(request.firstMatchingHeader("x-amz-server-side-encryption")).contains("AES256");
            assertThat(request.firstMatchingHeader("Content-Encoding")).contains("gzip");
        });
        assertThat(head(small).contentEncoding()).isEqualTo("gzip");
        assertThat(head(small).storageClassAsString()).isEqualTo("STANDARD_IA");
        assertThat(head(large).storageClassAsString()).isEqualTo("STANDARD_IA");
    }

    @Test
    void failedPartAbortsTheUploadAndLeavesNothingBehind() throws Exception {
        RecordingInterceptor failing = new RecordingInterceptor("UploadPart", 2);
        S3ObjectStore store = storeWith(s3.server().settings(bucket), failing);
        byte[] content = randomBytes(12L * 1024 * 1024, 13);
        var file = fileWith(content);
        ObjectKey key = new ObjectKey("dt=2024-05-01/20240501T000000_00000000000000b0.json.gz");

        assertThatThrownBy(() -> store.put(key, file))
                .isInstanceOf(ObjectStoreException.class)
                .hasMessageContaining("s3://" + bucket + "/" + key)
                .hasRootCauseInstanceOf(RecordingInterceptor.InjectedFailure.class);

        assertThat(failing.operations()).contains("AbortMultipartUpload").doesNotContain("CompleteMultipartUpload");
        assertThat(s3.client().listMultipartUploads(request -> request.bucket(bucket)).uploads()).isEmpty();
        assertThat(read(key)).isNull();
        assertThat(file).hasBinaryContent(content);
    }

    /** Like MinIO with encryption: ETags of MD5 form that are not the MD5 of the bytes. */
    private static final class ForeignETags implements ExecutionInterceptor {
        static final String ETAG = "\"ffffffffffffffffffffffffffffffff\"";

        @Override
        public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
            return switch (context.response()) {
                case PutObjectResponse put -> put.toBuilder().eTag(ETAG).build();
                case CompleteMultipartUploadResponse complete -> complete.toBuilder().eTag(ETAG).build();
                default -> context.response();
            };
        }
    }

    @Test
    void aStoreWhoseETagsAreNotMd5sIsConfirmedByTheSize() throws Exception {
        S3StoreSettings settings = s3.server().settings(bucket);
        S3ObjectStore store = new S3ObjectStore(s3.server().client(settings, new ForeignETags()), settings, "");
        toClose.add(store);
        ObjectKey small = new ObjectKey("dt=2024-05-01/20240501T000000_00000000000000b3.json.gz");
        ObjectKey large = new ObjectKey("dt=2024-05-01/20240501T000000_00000000000000b4.json.gz");
        byte[] smallContent = randomBytes(1000, 16);
        byte[] largeContent = randomBytes(6L * 1024 * 1024, 17);

        store.put(small, fileWith(smallContent));
        store.put(large, fileWith(largeContent));

        assertThat(read(small)).isEqualTo(smallContent);
        assertThat(read(large)).isEqualTo(largeContent);
    }

    @Test
    void wrongSecretFailsWithoutRevealingIt() throws Exception {
        String wrongSecret = "wrong-secret-must-not-leak-4f2a9c";
        S3ObjectStore store = storeWith(s3.server().settings(bucket), wrongSecret, new RecordingInterceptor());
        var file = fileWith(randomBytes(100, 14));
        ObjectKey key = new ObjectKey("dt=2024-05-01/20240501T000000_00000000000000b1.json.gz");

        List<Throwable> failures = new ArrayList<>();
        failures.add(catchStoreFailure(() -> store.put(key, file)));
        failures.add(catchStoreFailure(store::checkAvailable));

        assertThat(failures.get(0)).hasMessageContaining("HTTP 403");
        assertThat(failures.get(1)).hasMessageContaining("SignatureDoesNotMatch").hasMessageContaining(bucket);
        for (Throwable failure : failures) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage()))
                        .doesNotContain(wrongSecret)
                        .doesNotContain(S3ProxyServer.SECRET_KEY);
            }
        }
    }

    @Test
    void missingBucketIsReportedAsSuch() {
        S3StoreSettings settings = s3.server().settings(bucket + "-absent");
        S3ObjectStore store = storeWith(settings, new RecordingInterceptor());

        assertThat(catchStoreFailure(store::checkAvailable))
                .hasMessageContaining("'" + bucket + "-absent'")
                .hasMessageContaining("does not exist");
    }

    private S3ObjectStore storeWithKeys(String accessKey, String secretKey) {
        S3StoreSettings settings = s3.server().settings(bucket);
        S3ObjectStore store = new S3ObjectStore(s3.server().client(settings, S3Deadlines.DEFAULT, accessKey, secretKey), settings, "");
        toClose.add(store);
        return store;
    }

    /** The message with this run's bucket, port and request id replaced by placeholders. */
    private String pinned(Throwable failure) {
        return failure.getMessage().replace(bucket, "BUCKET").replace(s3.server().endpoint().toString(), "ENDPOINT")
                .replaceAll("request id [0-9A-Fa-f-]+", "request id ID");
    }

    @Test
    void aWrongSecretIsNamedAtStartAsInEveryUpload() throws Exception {
        S3ObjectStore store = storeWithKeys(S3ProxyServer.ACCESS_KEY, "wrong-secret");
        ObjectKey key = new ObjectKey("dt=2024-05-01/20240501T000000_00000000000000c1.json.gz");

        assertThat(pinned(catchStoreFailure(store::checkAvailable))).isEqualTo("bucket 'BUCKET' at endpoint ENDPOINT is not"
                + " usable: the secret key does not match the access key (SignatureDoesNotMatch); check AWS_SECRET_ACCESS_KEY"
                + " or the profile (-profile, AWS_PROFILE) (HTTP 403 SignatureDoesNotMatch: Forbidden (request id ID))");
        var file = fileWith(randomBytes(100, 21));
        assertThat(pinned(catchStoreFailure(() -> store.put(key, file)))).isEqualTo(
                "cannot upload s3://BUCKET/" + key + ": HTTP 403 SignatureDoesNotMatch: Forbidden (request id ID)");
    }

    @Test
    void anUnknownAccessKeyIsNamedAtStart() {
        S3ObjectStore store = storeWithKeys("AKIDUNKNOWN", S3ProxyServer.SECRET_KEY);

        assertThat(pinned(catchStoreFailure(store::checkAvailable))).isEqualTo("bucket 'BUCKET' at endpoint ENDPOINT is not"
                + " usable: the store does not know the access key (InvalidAccessKeyId); check AWS_ACCESS_KEY_ID or the"
                + " profile (-profile, AWS_PROFILE) (HTTP 403 InvalidAccessKeyId: Forbidden (request id ID))");
    }

    @Test
    void aMissingBucketIsSaidOnceWithItsCode() throws Exception {
        S3StoreSettings settings = s3.server().settings(bucket + "-absent");
        S3ObjectStore store = storeWith(settings, new RecordingInterceptor());
        ObjectKey key = new ObjectKey("dt=2024-05-01/20240501T000000_00000000000000c2.json.gz");

        assertThat(pinned(catchStoreFailure(store::checkAvailable))).isEqualTo("bucket 'BUCKET-absent' at endpoint ENDPOINT"
                + " is not usable: the bucket does not exist; create it or fix -bucket (s3logger.s3.bucket)"
                + " (HTTP 404 NoSuchBucket: The specified bucket does not exist. (request id ID))");
        var file = fileWith(randomBytes(100, 22));
        assertThat(pinned(catchStoreFailure(() -> store.put(key, file)))).isEqualTo(
                "cannot upload s3://BUCKET-absent/" + key + ": HTTP 404 NoSuchBucket: The specified bucket does not exist"
                        + " (request id ID)");
    }

    @Test
    void unreachableEndpointIsReportedAsSuch() throws Exception {
        S3StoreSettings settings;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            settings = new S3StoreSettings(bucket, Optional.of("us-east-1"),
                    Optional.of(java.net.URI.create("http://127.0.0.1:" + socket.getLocalPort())), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    S3StoreSettings.MIN_PART_SIZE_BYTES, S3StoreSettings.MIN_PART_SIZE_BYTES,
                    S3StoreSettings.DEFAULT_CONTENT_TYPE, Optional.empty());
        }
        S3ObjectStore store = storeWith(settings, new RecordingInterceptor());

        assertThat(catchStoreFailure(store::checkAvailable)).hasMessageContaining("unreachable");
    }

    @Test
    void interruptedPutFailsAndKeepsTheInterrupt() throws Exception {
        var file = fileWith(randomBytes(100, 15));
        ObjectKey key = new ObjectKey("dt=2024-05-01/20240501T000000_00000000000000b2.json.gz");

        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> store().put(key, file)).isInstanceOf(ObjectStoreException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(read(key)).isNull();
    }

    private interface StoreCall {
        void run() throws ObjectStoreException;
    }

    private static ObjectStoreException catchStoreFailure(StoreCall call) {
        try {
            call.run();
        } catch (ObjectStoreException e) {
            return e;
        }
        throw new AssertionError("expected an ObjectStoreException");
    }
}
