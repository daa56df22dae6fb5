package io.s3logger.adapter.s3;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How to reach and write the S3 (or S3-compatible) bucket. Plain values, no SDK types, so the
 * composition root can build it from configuration. Every instance is valid: the compact
 * constructor rejects bad values with a message naming the setting.
 *
 * @param bucket the bucket name
 * @param region the signing region; empty means the SDK's default region chain (and
 *     {@value #FALLBACK_REGION} for a custom endpoint when that chain finds none)
 * @param endpoint an endpoint override (MinIO, Ceph RGW, R2, LocalStack...); empty means AWS, or
 *     {@code AWS_ENDPOINT_URL_S3} / {@code AWS_ENDPOINT_URL} when set
 * @param pathStyle path-style addressing; empty means "on exactly when the endpoint is custom"
 * @param profile a profile of the shared AWS config files for credentials and region; empty means
 *     the SDK's default chains (which honour {@code AWS_PROFILE})
 * @param storageClass an S3 storage class such as {@code STANDARD_IA}; empty means the bucket's
 *     default
 * @param serverSideEncryption {@code AES256}, {@code aws:kms} or {@code aws:kms:dsse}; empty means
 *     the bucket's default encryption
 * @param kmsKeyId the KMS key for {@code aws:kms*}; empty means the AWS managed key
 * @param multipartThresholdBytes files of at least this size are uploaded in parts
 * @param partSizeBytes size of each part (the last one may be smaller); raised automatically when
 *     a file would need more than {@value #MAX_PARTS} parts
 * @param contentType the objects' {@code Content-Type}
 * @param contentEncoding the objects' {@code Content-Encoding}; empty means none, so that clients
 *     download the gzip file as it is instead of decompressing it on the fly
 */
public record S3StoreSettings(
        String bucket,
        Optional<String> region,
        Optional<URI> endpoint,
        Optional<Boolean> pathStyle,
        Optional<String> profile,
        Optional<String> storageClass,
        Optional<String> serverSideEncryption,
        Optional<String> kmsKeyId,
        long multipartThresholdBytes,
        long partSizeBytes,
        String contentType,
        Optional<String> contentEncoding) {

    private static final long MIB = 1024L * 1024;
    /** S3's smallest part size (except for the last part). */
    public static final long MIN_PART_SIZE_BYTES = 5 * MIB;
    /** S3's largest part size, and largest single PutObject. */
    public static final long MAX_PART_SIZE_BYTES = 5 * 1024 * MIB;
    /** S3's largest number of parts in one multipart upload. */
    public static final int MAX_PARTS = 10_000;
    public static final long DEFAULT_MULTIPART_THRESHOLD_BYTES = 64 * MIB;
    public static final long DEFAULT_PART_SIZE_BYTES = 16 * MIB;
    public static final String DEFAULT_CONTENT_TYPE = "application/gzip";
    /** Signing region used with a custom endpoint when no region is configured anywhere. */
    public static final String FALLBACK_REGION = "us-east-1";
    public static final Set<String> SERVER_SIDE_ENCRYPTIONS = Set.of("AES256", "aws:kms", "aws:kms:dsse");

    private static final Pattern STORAGE_CLASS = Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    public S3StoreSettings {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(pathStyle, "pathStyle");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(storageClass, "storageClass");
        Objects.requireNonNull(serverSideEncryption, "serverSideEncryption");
        Objects.requireNonNull(kmsKeyId, "kmsKeyId");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(contentEncoding, "contentEncoding");

        if (bucket.isBlank() || bucket.contains("/") || !bucket.strip().equals(bucket)) {
            throw new IllegalArgumentException(
                    "bucket: '" + bucket + "' is not a bucket name (expected a non-empty name without '/' or spaces,"
                            + " e.g. my-logs; put key prefixes in -prefix)");
        }
        requireNonBlank("region", region);
        requireNonBlank("profile", profile);
        endpoint.ifPresent(S3StoreSettings::requireHttpUri);
        storageClass.ifPresent(value -> {
            if (!STORAGE_CLASS.matcher(value).matches()) {
                throw new IllegalArgumentException("storage class: '" + value
                        + "' is not an S3 storage class (expected e.g. STANDARD, STANDARD_IA, INTELLIGENT_TIERING)");
            }
        });
        serverSideEncryption.ifPresent(value -> {
            if (!SERVER_SIDE_ENCRYPTIONS.contains(value)) {
                throw new IllegalArgumentException("server-side encryption: '" + value
                        + "' is not supported (expected one of AES256, aws:kms, aws:kms:dsse)");
            }
        });
        requireNonBlank("KMS key id", kmsKeyId);
        if (kmsKeyId.isPresent() && !serverSideEncryption.map(sse -> sse.startsWith("aws:kms")).orElse(false)) {
            throw new IllegalArgumentException(
                    "KMS key id: given, but server-side encryption is not aws:kms or aws:kms:dsse (set -sse aws:kms)");
        }
        if (multipartThresholdBytes < MIN_PART_SIZE_BYTES || multipartThresholdBytes > MAX_PART_SIZE_BYTES) {
            throw new IllegalArgumentException("multipart threshold: " + multipartThresholdBytes
                    + " bytes is out of range (expected 5 MiB to 5 GiB, e.g. 64MiB)");
        }
        if (partSizeBytes < MIN_PART_SIZE_BYTES || partSizeBytes > MAX_PART_SIZE_BYTES) {
            throw new IllegalArgumentException("part size: " + partSizeBytes
                    + " bytes is out of range (expected 5 MiB to 5 GiB, S3's part size limits, e.g. 16MiB)");
        }
        if (!contentType.contains("/") || !contentType.strip().equals(contentType)) {
            throw new IllegalArgumentException(
                    "content type: '" + contentType + "' is not a media type (expected e.g. application/gzip)");
        }
        contentEncoding.ifPresent(value -> {
            if (!TOKEN.matcher(value).matches()) {
                throw new IllegalArgumentException(
                        "content encoding: '" + value + "' is not a single token (expected e.g. gzip)");
            }
        });
    }

    /** Settings for {@code bucket} with every other value at its default. */
    public static S3StoreSettings withDefaults(String bucket) {
        return new S3StoreSettings(
                bucket,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                DEFAULT_MULTIPART_THRESHOLD_BYTES,
                DEFAULT_PART_SIZE_BYTES,
                DEFAULT_CONTENT_TYPE,
                Optional.empty());
    }

    private static void requireNonBlank(String name, Optional<String> value) {
        if (value.isPresent() && (value.get().isBlank() || !value.get().strip().equals(value.get()))) {
            throw new IllegalArgumentException(
                    name + ": '" + value.get() + "' is blank or has surrounding spaces (leave it unset for the default)");
        }
    }

    private static void requireHttpUri(URI uri) {
        if (uri.getRawUserInfo() != null) {
            // Not echoed: the user info may be a secret.
            throw new IllegalArgumentException(
                    "endpoint: must not contain user info (credentials come from the AWS credential chain)");
        }
        String scheme = uri.getScheme();
        if (!uri.isAbsolute()
                || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("endpoint: '" + uri
                    + "' is not an http(s) URL with a host (expected e.g. http://localhost:9000)");
        }
    }
}
