package io.s3logger.adapter.s3;

import io.s3logger.domain.model.ObjectKey;
import io.s3logger.domain.port.out.ObjectStore;
import io.s3logger.domain.port.out.ObjectStoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
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
 * carry checksums. A failed multipart upload is aborted (best effort), so no parts linger and no
 * object appears. Every failure becomes an {@link ObjectStoreException} naming the bucket, key
 * and S3 status; messages never contain credentials. Thread-safe: the S3 client is.
 */
public final class S3ObjectStore implements ObjectStore {

    private static final Logger LOG = LoggerFactory.getLogger(S3ObjectStore.class);
    private static final String PART_CONTENT_TYPE = "application/octet-stream";

    private final S3Client client;
    private final S3StoreSettings settings;
    private final boolean partChecksums;
    private final String location;

    /** @param client owned by this store from now on: {@link #close()} closes it */
    public S3ObjectStore(S3Client client, S3StoreSettings settings) {
        this.client = Objects.requireNonNull(client, "client");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.partChecksums = client.serviceClientConfiguration().requestChecksumCalculation()
                != RequestChecksumCalculation.WHEN_REQUIRED;
        this.location = client.serviceClientConfiguration().endpointOverride()
                .map(endpoint -> "endpoint " + endpoint)
                .orElseGet(() -> "AWS S3 in region " + client.serviceClientConfiguration().region());
    }

    @Override
    public void put(ObjectKey key, Path file) throws ObjectStoreException {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(file, "file");
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw S3Failures.translate("read segment file " + file + " for", settings.bucket(), key, e);
        }
        if (size < settings.multipartThresholdBytes()) {
            putWhole(key, file, size);
        } else {
            putInParts(key, file, size);
        }
    }

    private void putWhole(ObjectKey key, Path file, long size) throws ObjectStoreException {
        try {
            PutObjectRequest.Builder request = PutObjectRequest.builder()
                    .bucket(settings.bucket())
                    .key(key.value())
                    .contentLength(size)
                    .contentMD5(ContentMd5.of(file, 0, size))
                    .contentType(settings.contentType());
            settings.contentEncoding().ifPresent(request::contentEncoding);
            settings.storageClass().ifPresent(request::storageClass);
            settings.serverSideEncryption().ifPresent(request::serverSideEncryption);
            settings.kmsKeyId().ifPresent(request::ssekmsKeyId);
            client.putObject(request.build(), RequestBody.fromFile(file));
        } catch (IOException | RuntimeException e) {
            throw S3Failures.translate("upload", settings.bucket(), key, e);
        }
    }

    private void putInParts(ObjectKey key, Path file, long size) throws ObjectStoreException {
        String uploadId;
        try {
            uploadId = client.createMultipartUpload(createRequest(key)).uploadId();
        } catch (RuntimeException e) {
            throw S3Failures.translate("start multipart upload of", settings.bucket(), key, e);
        }
        try {
            List<CompletedPart> parts = uploadParts(key, file, size, uploadId);
            client.completeMultipartUpload(request -> request
                    .bucket(settings.bucket())
                    .key(key.value())
                    .uploadId(uploadId)
                    .multipartUpload(upload -> upload.parts(parts)));
        } catch (IOException | RuntimeException e) {
            ObjectStoreException failure =
                    S3Failures.translate("upload (multipart)", settings.bucket(), key, e);
            abort(key, uploadId, failure);
            throw failure;
        }
    }

    private CreateMultipartUploadRequest createRequest(ObjectKey key) {
        CreateMultipartUploadRequest.Builder request = CreateMultipartUploadRequest.builder()
                .bucket(settings.bucket())
                .key(key.value())
                .contentType(settings.contentType());
        settings.contentEncoding().ifPresent(request::contentEncoding);
        settings.storageClass().ifPresent(request::storageClass);
        settings.serverSideEncryption().ifPresent(request::serverSideEncryption);
        settings.kmsKeyId().ifPresent(request::ssekmsKeyId);
        if (partChecksums) {
            request.checksumAlgorithm(ChecksumAlgorithm.CRC32);
        }
        return request.build();
    }

    private List<CompletedPart> uploadParts(ObjectKey key, Path file, long size, String uploadId)
            throws IOException {
        long partSize = partSize(size);
        List<CompletedPart> parts = new ArrayList<>();
        for (long offset = 0; offset < size; offset += partSize) {
            int partNumber = parts.size() + 1;
            long length = Math.min(partSize, size - offset);
            UploadPartRequest.Builder request = UploadPartRequest.builder()
                    .bucket(settings.bucket())
                    .key(key.value())
                    .uploadId(uploadId)
                    .partNumber(partNumber)
                    .contentLength(length)
                    .contentMD5(ContentMd5.of(file, offset, length));
            if (partChecksums) {
                request.checksumAlgorithm(ChecksumAlgorithm.CRC32);
            }
            UploadPartResponse response;
            try (FileRangeContentProvider body = new FileRangeContentProvider(file, offset, length)) {
                response = client.uploadPart(
                        request.build(), RequestBody.fromContentProvider(body, length, PART_CONTENT_TYPE));
            }
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

    private void abort(ObjectKey key, String uploadId, ObjectStoreException failure) {
        // An interrupted thread would make the SDK refuse the abort call at once; clear the flag
        // for this one call and restore it after.
        boolean interrupted = Thread.interrupted();
        try {
            client.abortMultipartUpload(request -> request
                    .bucket(settings.bucket())
                    .key(key.value())
                    .uploadId(uploadId));
        } catch (RuntimeException e) {
            LOG.warn("Could not abort multipart upload of s3://{}/{}; a lifecycle rule for incomplete multipart"
                    + " uploads will remove its parts: {}", settings.bucket(), key, S3Failures.describe(e));
            failure.addSuppressed(e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void checkAvailable() throws ObjectStoreException {
        try {
            client.headBucket(request -> request.bucket(settings.bucket()));
        } catch (RuntimeException e) {
            throw S3Failures.unavailable(settings.bucket(), location, e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
