package io.s3logger.adapter.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class S3StoreSettingsTest {

    private static final long MIB = 1024L * 1024;

    private static S3StoreSettings with(
            String bucket,
            Optional<URI> endpoint,
            Optional<String> storageClass,
            Optional<String> sse,
            Optional<String> kmsKeyId,
            long thresholdBytes,
            long partBytes,
            String contentType,
            Optional<String> contentEncoding) {
        return new S3StoreSettings(bucket, Optional.empty(), endpoint, Optional.empty(), Optional.empty(),
                storageClass, sse, kmsKeyId, thresholdBytes, partBytes, contentType, contentEncoding);
    }

    private static S3StoreSettings withSizes(long thresholdBytes, long partBytes) {
        return with("logs", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                thresholdBytes, partBytes, "application/gzip", Optional.empty());
    }

    private static S3StoreSettings withEncryption(Optional<String> sse, Optional<String> kmsKeyId) {
        return with("logs", Optional.empty(), Optional.empty(), sse, kmsKeyId,
                64 * MIB, 16 * MIB, "application/gzip", Optional.empty());
    }

    @Test
    void defaults() {
        S3StoreSettings settings = S3StoreSettings.withDefaults("logs");

        assertThat(settings.bucket()).isEqualTo("logs");
        assertThat(settings.multipartThresholdBytes()).isEqualTo(64 * MIB);
        assertThat(settings.partSizeBytes()).isEqualTo(16 * MIB);
        assertThat(settings.contentType()).isEqualTo("application/gzip");
        assertThat(settings.contentEncoding()).isEmpty();
        assertThat(settings.endpoint()).isEmpty();
        assertThat(settings.pathStyle()).isEmpty();
        assertThat(settings.region()).isEmpty();
    }

    @Test
    void bucketMustBeAName() {
        for (String bad : new String[] {"", " ", "logs/prefix", " logs"}) {
            assertThatThrownBy(() -> S3StoreSettings.withDefaults(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("bucket: '" + bad + "'");
        }
    }

    @Test
    void sizesMustBeWithinS3Limits() {
        assertThatThrownBy(() -> withSizes(5 * MIB - 1, 16 * MIB))
                .hasMessageStartingWith("multipart threshold: 5242879 bytes is out of range");
        assertThatThrownBy(() -> withSizes(64 * MIB, 5 * MIB - 1))
                .hasMessageStartingWith("part size: 5242879 bytes is out of range");
        assertThatThrownBy(() -> withSizes(64 * MIB, 5 * 1024 * MIB + 1))
                .hasMessageStartingWith("part size:");
        assertThat(withSizes(5 * MIB, 5 * MIB).partSizeBytes()).isEqualTo(5 * MIB);
    }

    @Test
    void encryptionMustBeKnownAndKmsKeyNeedsKms() {
        assertThatThrownBy(() -> withEncryption(Optional.of("aes256"), Optional.empty()))
                .hasMessageStartingWith("server-side encryption: 'aes256' is not supported");
        assertThatThrownBy(() -> withEncryption(Optional.of("AES256"), Optional.of("alias/logs")))
                .hasMessageStartingWith("KMS key id: given, but server-side encryption is not aws:kms");
        assertThatThrownBy(() -> withEncryption(Optional.empty(), Optional.of("alias/logs")))
                .hasMessageStartingWith("KMS key id:");
        assertThat(withEncryption(Optional.of("aws:kms"), Optional.of("alias/logs")).kmsKeyId())
                .contains("alias/logs");
    }

    @Test
    void endpointMustBeHttpWithHostAndNoUserInfo() {
        assertThatThrownBy(() -> with("logs", Optional.of(URI.create("minio:9000")), Optional.empty(),
                        Optional.empty(), Optional.empty(), 64 * MIB, 16 * MIB, "application/gzip", Optional.empty()))
                .hasMessageStartingWith("endpoint: 'minio:9000' is not an http(s) URL");
        assertThatThrownBy(() -> with("logs", Optional.of(URI.create("http://key:topsecret@minio:9000")),
                        Optional.empty(), Optional.empty(), Optional.empty(), 64 * MIB, 16 * MIB,
                        "application/gzip", Optional.empty()))
                .hasMessageStartingWith("endpoint: must not contain user info")
                .message().doesNotContain("topsecret");
    }

    @Test
    void storageClassContentTypeAndEncodingAreChecked() {
        assertThatThrownBy(() -> with("logs", Optional.empty(), Optional.of("standard ia"), Optional.empty(),
                        Optional.empty(), 64 * MIB, 16 * MIB, "application/gzip", Optional.empty()))
                .hasMessageStartingWith("storage class: 'standard ia'");
        assertThatThrownBy(() -> with("logs", Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty(), 64 * MIB, 16 * MIB, "gzip", Optional.empty()))
                .hasMessageStartingWith("content type: 'gzip'");
        assertThatThrownBy(() -> with("logs", Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty(), 64 * MIB, 16 * MIB, "application/gzip", Optional.of("gzip, br")))
                .hasMessageStartingWith("content encoding: 'gzip, br'");
    }

    @Test
    void blankOptionalStringsAreRejected() {
        assertThatThrownBy(() -> new S3StoreSettings("logs", Optional.of(" "), Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 64 * MIB, 16 * MIB,
                        "application/gzip", Optional.empty()))
                .hasMessageStartingWith("region: ' ' is blank");
        assertThatThrownBy(() -> new S3StoreSettings("logs", Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.of(""), Optional.empty(), Optional.empty(), Optional.empty(), 64 * MIB, 16 * MIB,
                        "application/gzip", Optional.empty()))
                .hasMessageStartingWith("profile: '' is blank");
    }
}
