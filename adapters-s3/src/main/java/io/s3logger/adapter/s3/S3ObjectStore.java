package io.s3logger.adapter.s3;

import io.s3logger.domain.model.ObjectKey;
import io.s3logger.domain.model.SegmentStats;
import io.s3logger.domain.port.out.ObjectStore;
import io.s3logger.domain.port.out.ObjectStoreException;
import io.s3logger.domain.service.ObjectNaming;
import io.s3logger.domain.text.Plural;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * {@link ObjectStore} on an S3 bucket (AWS or S3-compatible) through a synchronous {@link
 * S3Client}.
 *
 * <p>A file below {@link S3StoreSettings#multipartThresholdBytes()} goes up in one PutObject,
 * a larger one as a multipart upload; either way the file is streamed, never held in memory, and
 * each request carries the {@code Content-MD5} of its bytes so the server rejects corrupted
 * transfers. When the client computes the SDK's default checksums (AWS), multipart uploads
 * declare CRC32 up front and send each part's CRC32 on completion, as S3 requires for parts that
 * carry checksums. Every failure becomes an {@link ObjectStoreException} naming the bucket, key
 * and S3 status; messages never contain credentials. Thread-safe: the S3 client is.
 *
 * <p>What the store confirms is checked before {@link #put} returns: the ETag of a PutObject must
 * be the MD5 of the bytes sent, and a multipart object's ETag the MD5 of the parts' MD5s with
 * their count ({@code "<md5>-N"}); where it is not (SSE-KMS, no ETag, a store whose ETags are not
 * MD5s) a HeadObject must show the file's size. Otherwise the put fails.
 *
 * <p>Deadlines ({@link S3Deadlines}): a call with a body gets an attempt timeout that grows with
 * the body. Each put runs its calls on a virtual thread, whose socket I/O an interrupt stops at
 * once: interrupting the calling thread (the shutdown deadline) ends the put within moments, and a
 * multipart upload is aborted with one call bounded by {@link S3Deadlines#ABORT_TIMEOUT}.
 *
 * <p>Leaving nothing behind: a failed multipart upload is aborted (best effort; one that cannot be
 * aborted is tried again after the next successful put). {@link #checkAvailable()} (at start) and,
 * at most every {@link #SWEEP_INTERVAL}, a put abort the abandoned multipart uploads under the
 * program's own keys: those whose key is {@code [PREFIX/]dt=YYYY-MM-DD/YYYYMMDDTHHMMSS_16hex.json.gz}
 * under this prefix and that the store says were started more than {@code abandonedAfter} ago, so
 * that another instance's upload in progress in a shared bucket and prefix is not touched.
 */
public final class S3ObjectStore implements ObjectStore {

    private static final Logger LOG = LoggerFactory.getLogger(S3ObjectStore.class);
    private static final String PART_CONTENT_TYPE = "application/octet-stream";
    /** A multipart upload started longer ago than this (by the store's clock) is abandoned. */
    public static final Duration ABANDONED_AFTER = Duration.ofHours(1);
    /** How often uploads look for abandoned multipart uploads. */
    static final Duration SWEEP_INTERVAL = Duration.ofMinutes(15);
    /** The rest of a key after the prefix, as {@link ObjectNaming} builds it (SPEC §4). */
    private static final String KEY_AFTER_PREFIX = "\\d{4}-\\d{2}-\\d{2}/\\d{8}T\\d{6}_[0-9a-f]{16}\\.json\\.gz";

    private final S3Client client;
    private final S3StoreSettings settings;
    private final String writer;
    private final S3Deadlines deadlines;
    private final Duration abandonedAfter;
    private final InstantSource clock;
    private final boolean partChecksums;
    private final String location;
    private final String keyStart;
    private final Pattern ownKey;
    /** Multipart uploads of this process that failed and could not be aborted: upload id to key. */
    private final Map<String, String> pendingAborts = new ConcurrentHashMap<>();
    private final AtomicLong lastSweepNanos = new AtomicLong();
    private final AtomicBoolean etagsNotMd5Reported = new AtomicBoolean();

    /**
     * @param client owned by this store from now on: {@link #close()} closes it; built with the
     *     {@link S3Deadlines#DEFAULT} deadlines
     * @param prefix the key prefix as the user gave it
     */
    public S3ObjectStore(S3Client client, S3StoreSettings settings, String prefix) {
        this(client, settings, prefix, S3Deadlines.DEFAULT, ABANDONED_AFTER, InstantSource.system());
    }

    /** @param clock the wall clock, to date uploads when the store's answer has no {@code Date} */
    S3ObjectStore(S3Client client, S3StoreSettings settings, String prefix, S3Deadlines deadlines,
            Duration abandonedAfter, InstantSource clock) {
        this.writer = ObjectMetadata.thisProcess();
        this.client = Objects.requireNonNull(client, "client");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.deadlines = Objects.requireNonNull(deadlines, "deadlines");
        this.abandonedAfter = Objects.requireNonNull(abandonedAfter, "abandonedAfter");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.partChecksums = client.serviceClientConfiguration().requestChecksumCalculation()
                != RequestChecksumCalculation.WHEN_REQUIRED;
        this.location = client.serviceClientConfiguration().endpointOverride()
                .map(endpoint -> "endpoint " + endpoint)
                .orElseGet(() -> "AWS S3 in region " + client.serviceClientConfiguration().region());
        String normalised = ObjectNaming.normalisePrefix(Objects.requireNonNull(prefix, "prefix"));
        this.keyStart = normalised.isEmpty() ? "dt=" : normalised + "/dt=";
        this.ownKey = Pattern.compile(Pattern.quote(keyStart) + KEY_AFTER_PREFIX);
        this.lastSweepNanos.set(System.nanoTime());
    }

    @Override
    public void put(ObjectKey key, Path file, Optional<SegmentStats> stats) throws ObjectStoreException {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(file, "file");
        Map<String, String> metadata = ObjectMetadata.of(stats, writer);
        if (Thread.currentThread().isInterrupted()) {
            throw new ObjectStoreException("cannot upload s3://" + settings.bucket() + "/" + key + ": interrupted");
        }
        onVirtualThread(key, () -> {
            sweepIfDue();
            long size;
            try {
                size = Files.size(file);
            } catch (IOException e) {
                throw S3Failures.translate("read segment file " + file + " for", settings.bucket(), key, e);
            }
            if (size < settings.multipartThresholdBytes()) {
                putWhole(key, file, size, metadata);
            } else {
                putInParts(key, file, size, metadata);
            }
            abortPending();
        });
    }

    private interface Upload {
        void run() throws ObjectStoreException;
    }

    /**
     * Runs {@code upload} on a virtual thread and waits for it. An interrupt of the waiting thread
     * is passed on: a virtual thread's blocking socket I/O ends at once when it is interrupted
     * (the socket is closed), which a platform thread's does not.
     */
    private void onVirtualThread(ObjectKey key, Upload upload) throws ObjectStoreException {
        CompletableFuture<Void> result = new CompletableFuture<>();
        Thread worker = Thread.ofVirtual().name("s3-" + Thread.currentThread().getName()).start(() -> {
            try {
                upload.run();
                result.complete(null);
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            result.get();
        } catch (InterruptedException e) {
            worker.interrupt();
            try {
                // Enough for the worker to abort a multipart upload; the file is not touched either way.
                worker.join(S3Deadlines.ABORT_TIMEOUT.plusSeconds(1));
            } catch (InterruptedException again) {
                // Interrupted twice: stop waiting.
            }
            Thread.currentThread().interrupt();
            throw new ObjectStoreException("upload of s3://" + settings.bucket() + "/" + key
                    + " interrupted; the file stays in the spool", e);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case ObjectStoreException failure -> throw failure;
                case RuntimeException failure -> throw failure;
                case Error failure -> throw failure;
                default -> throw new IllegalStateException(e.getCause());
            }
        }
    }

    private void putWhole(ObjectKey key, Path file, long size, Map<String, String> metadata) throws ObjectStoreException {
        PutObjectResponse response;
        byte[] md5;
        try {
            md5 = ContentMd5.of(file, 0, size);
            PutObjectRequest.Builder request = PutObjectRequest.builder()
                    .bucket(settings.bucket())
                    .key(key.value())
                    .contentLength(size)
                    .contentMD5(ContentMd5.header(md5))
                    .contentType(settings.contentType())
                    .metadata(metadata)
                    .overrideConfiguration(o -> o.apiCallAttemptTimeout(deadlines.attemptTimeout(size))
                            .apiCallTimeout(deadlines.callTimeout(size)));
            settings.contentEncoding().ifPresent(request::contentEncoding);
            settings.storageClass().ifPresent(request::storageClass);
            settings.serverSideEncryption().ifPresent(request::serverSideEncryption);
            settings.kmsKeyId().ifPresent(request::ssekmsKeyId);
            response = client.putObject(request.build(), RequestBody.fromFile(file));
        } catch (IOException | RuntimeException e) {
            throw S3Failures.translate("upload", settings.bucket(), key, e);
        }
        confirm(key, response.eTag(), response.serverSideEncryption(), ContentMd5.hex(md5), size);
    }

    private void putInParts(ObjectKey key, Path file, long size, Map<String, String> metadata) throws ObjectStoreException {
        String uploadId;
        try {
            uploadId = client.createMultipartUpload(createRequest(key, metadata)).uploadId();
        } catch (RuntimeException e) {
            throw S3Failures.translate("start multipart upload of", settings.bucket(), key, e);
        }
        List<byte[]> partDigests = new ArrayList<>();
        CompleteMultipartUploadResponse response;
        try {
            List<CompletedPart> parts = uploadParts(key, file, size, uploadId, partDigests);
            response = client.completeMultipartUpload(request -> request
                    .bucket(settings.bucket())
                    .key(key.value())
                    .uploadId(uploadId)
                    .multipartUpload(upload -> upload.parts(parts)));
        } catch (IOException | RuntimeException | ObjectStoreException e) {
            ObjectStoreException failure = e instanceof ObjectStoreException known
                    ? known : S3Failures.translate("upload (multipart)", settings.bucket(), key, e);
            abort(key.value(), uploadId, failure);
            throw failure;
        }
        confirm(key, response.eTag(), response.serverSideEncryption(), ContentMd5.multipartETag(partDigests), size);
    }

    private CreateMultipartUploadRequest createRequest(ObjectKey key, Map<String, String> metadata) {
        CreateMultipartUploadRequest.Builder request = CreateMultipartUploadRequest.builder()
                .bucket(settings.bucket())
                .key(key.value())
                .contentType(settings.contentType())
                .metadata(metadata);
        settings.contentEncoding().ifPresent(request::contentEncoding);
        settings.storageClass().ifPresent(request::storageClass);
        settings.serverSideEncryption().ifPresent(request::serverSideEncryption);
        settings.kmsKeyId().ifPresent(request::ssekmsKeyId);
        if (partChecksums) {
            request.checksumAlgorithm(ChecksumAlgorithm.CRC32);
        }
        return request.build();
    }

    private List<CompletedPart> uploadParts(
            ObjectKey key, Path file, long size, String uploadId, List<byte[]> partDigests)
            throws IOException, ObjectStoreException {
        long partSize = partSize(size);
        List<CompletedPart> parts = new ArrayList<>();
        for (long offset = 0; offset < size; offset += partSize) {
            int partNumber = parts.size() + 1;
            long length = Math.min(partSize, size - offset);
            byte[] md5 = ContentMd5.of(file, offset, length);
            UploadPartRequest.Builder request = UploadPartRequest.builder()
                    .bucket(settings.bucket())
                    .key(key.value())
                    .uploadId(uploadId)
                    .partNumber(partNumber)
                    .contentLength(length)
                    .contentMD5(ContentMd5.header(md5))
                    .overrideConfiguration(o -> o.apiCallAttemptTimeout(deadlines.attemptTimeout(length))
                            .apiCallTimeout(deadlines.callTimeout(length)));
            if (partChecksums) {
                request.checksumAlgorithm(ChecksumAlgorithm.CRC32);
            }
            UploadPartResponse response;
            try (FileRangeContentProvider body = new FileRangeContentProvider(file, offset, length)) {
                response = client.uploadPart(
                        request.build(), RequestBody.fromContentProvider(body, length, PART_CONTENT_TYPE));
            }
            partDigests.add(md5);
            CompletedPart.Builder part = CompletedPart.builder().partNumber(partNumber).eTag(response.eTag());
            if (partChecksums) {
                part.checksumCRC32(response.checksumCRC32());
            }
            parts.add(part.build());
        }
        return parts;
    }

    /** The configured part size, raised if the file would otherwise need more than 10,000 parts. */
    private long partSize(long size) {
        long smallestFitting = (size + S3StoreSettings.MAX_PARTS - 1) / S3StoreSettings.MAX_PARTS;
        return Math.max(settings.partSizeBytes(), smallestFitting);
    }

    /** S3's ETags are MD5s of the bytes except under SSE-KMS (and SSE-C, which is not used here). */
    private boolean etagsAreMd5(ServerSideEncryption confirmed) {
        boolean kms = settings.serverSideEncryption().map(sse -> sse.startsWith("aws:kms")).orElse(false)
                || (confirmed != null && confirmed.toString().startsWith("aws:kms"));
        return !kms;
    }

    /**
     * Confirmed when the ETag is {@code expected}, the MD5 the bytes sent give. Otherwise (SSE-KMS,
     * no ETag, or a store whose ETags are not MD5s, such as MinIO with encryption) a HeadObject
     * must show the object with the file's size; a store that answered without storing fails
     * here.
     */
    private void confirm(ObjectKey key, String eTag, ServerSideEncryption encryption, String expected, long size)
            throws ObjectStoreException {
        boolean md5ETags = etagsAreMd5(encryption);
        if (md5ETags && expected.equals(unquoted(eTag))) {
            return;
        }
        long stored;
        try {
            stored = client.headObject(request -> request.bucket(settings.bucket()).key(key.value())).contentLength();
        } catch (RuntimeException e) {
            throw S3Failures.translate("confirm (HeadObject) the upload of", settings.bucket(), key, e);
        }
        if (stored != size) {
            throw new ObjectStoreException("unconfirmed upload of s3://" + settings.bucket() + "/" + key
                    + ": the store answered with ETag " + eTag + " (the bytes sent give " + expected + ") and holds "
                    + stored + " bytes instead of " + size + "; the upload counts as failed");
        }
        if (md5ETags && !etagsNotMd5Reported.getAndSet(true)) {
            LOG.warn("The store's ETag for s3://{}/{} is {}, not the MD5 of the bytes sent ({}); its size is right,"
                    + " so uploads are confirmed by size from now on (a store that encrypts or rewrites objects)",
                    settings.bucket(), key, eTag, expected);
        }
    }

    private static String unquoted(String eTag) {
        if (eTag == null) {
            return null;
        }
        String value = eTag.strip();
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1).toLowerCase(java.util.Locale.ROOT)
                : value.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Aborts a multipart upload with one bounded call. An interrupted thread would make the SDK
     * refuse the call at once: the flag is cleared for this one call and restored after.
     *
     * @return whether the store confirmed the abort
     */
    private boolean abort(String key, String uploadId, Exception failure) {
        boolean interrupted = Thread.interrupted();
        try {
            client.abortMultipartUpload(request -> request
                    .bucket(settings.bucket())
                    .key(key)
                    .uploadId(uploadId)
                    .overrideConfiguration(o -> o.apiCallTimeout(S3Deadlines.ABORT_TIMEOUT)
                            .apiCallAttemptTimeout(S3Deadlines.ABORT_TIMEOUT)));
            pendingAborts.remove(uploadId);
            return true;
        } catch (NoSuchUploadException e) {
            // Completed or aborted meanwhile (or by a lifecycle rule): nothing is left to abort.
            pendingAborts.remove(uploadId);
            return true;
        } catch (RuntimeException e) {
            pendingAborts.put(uploadId, key);
            LOG.warn("Could not abort multipart upload of s3://{}/{}; tried again after the next upload: {}",
                    settings.bucket(), key, S3Failures.describe(e));
            if (failure != null) {
                failure.addSuppressed(e);
            }
            return false;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void abortPending() {
        pendingAborts.forEach((uploadId, key) -> abort(key, uploadId, null));
    }

    private void sweepIfDue() {
        long last = lastSweepNanos.get();
        long now = System.nanoTime();
        if (now - last >= SWEEP_INTERVAL.toNanos() && lastSweepNanos.compareAndSet(last, now)) {
            abortAbandonedUploads();
        }
    }

    /**
     * Aborts the multipart uploads under this program's keys that were started more than
     * {@code abandonedAfter} ago by the store's clock (its {@code Date} header; the local clock if
     * it sends none, so local clock skew does not count). Best effort: a failure is logged.
     */
    void abortAbandonedUploads() {
        try {
            int aborted = 0;
            String keyMarker = null;
            String uploadIdMarker = null;
            ListMultipartUploadsResponse page;
            do {
                String keys = keyMarker;
                String ids = uploadIdMarker;
                page = client.listMultipartUploads(request -> request
                        .bucket(settings.bucket()).prefix(keyStart).keyMarker(keys).uploadIdMarker(ids));
                Instant cutoff = storeTime(page).orElseGet(clock::instant).minus(abandonedAfter);
                for (MultipartUpload upload : page.uploads()) {
                    if (ownKey.matcher(upload.key()).matches()
                            && upload.initiated() != null
                            && !upload.initiated().isAfter(cutoff)
                            && abort(upload.key(), upload.uploadId(), null)) {
                        aborted++;
                    }
                }
                keyMarker = page.nextKeyMarker();
                uploadIdMarker = page.nextUploadIdMarker();
            } while (Boolean.TRUE.equals(page.isTruncated()));
            if (aborted > 0) {
                LOG.info("Aborted {} under s3://{}/{} (started over {} min ago)",
                        Plural.of(aborted, "abandoned multipart upload", "abandoned multipart uploads"), settings.bucket(), keyStart, abandonedAfter.toMinutes());
            }
        } catch (RuntimeException e) {
            LOG.warn("Cannot look for abandoned multipart uploads under s3://{}/{} (needs s3:ListBucketMultipartUploads"
                    + " and s3:AbortMultipartUpload): {}", settings.bucket(), keyStart, S3Failures.describe(e));
        }
    }

    private static Optional<Instant> storeTime(ListMultipartUploadsResponse page) {
        try {
            return page.sdkHttpResponse().firstMatchingHeader("Date")
                    // Whole seconds: the store's time is up to a second later.
                    .map(date -> ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().plusSeconds(1));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Checks the bucket, then aborts the abandoned multipart uploads under this program's keys. */
    @Override
    public void checkAvailable() throws ObjectStoreException {
        try {
            client.headBucket(request -> request.bucket(settings.bucket()));
        } catch (AwsServiceException e) {
            throw S3Failures.unavailable(settings.bucket(), location, withErrorCode(e));
        } catch (RuntimeException e) {
            throw S3Failures.unavailable(settings.bucket(), location, e);
        }
        abortAbandonedUploads();
        lastSweepNanos.set(System.nanoTime());
    }

    /**
     * The answer to a HEAD has no body, so no error code: a wrong key, a wrong secret and a missing
     * permission all read "403". The same question as a listing (same permission, s3:ListBucket)
     * gets the code.
     */
    private AwsServiceException withErrorCode(AwsServiceException headFailure) {
        if (headFailure.awsErrorDetails() != null && headFailure.awsErrorDetails().errorCode() != null
                && !headFailure.awsErrorDetails().errorCode().isBlank()) {
            return headFailure;
        }
        try {
            client.listObjectsV2(request -> request.bucket(settings.bucket()).prefix(keyStart).maxKeys(1));
            return headFailure;
        } catch (AwsServiceException listFailure) {
            return listFailure;
        } catch (RuntimeException other) {
            return headFailure;
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
