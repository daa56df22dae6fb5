package io.s3logger.adapter.s3;

import io.s3logger.domain.model.ObjectKey;
import io.s3logger.domain.port.out.ObjectStore;
import io.s3logger.domain.port.out.ObjectStoreContract;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.s3.S3Client;
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
        return new S3ObjectStore(client(settings), settings);
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
        return new S3ObjectStore(client(settings), settings);
    }
}
