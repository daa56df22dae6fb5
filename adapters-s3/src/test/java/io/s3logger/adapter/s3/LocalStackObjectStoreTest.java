package io.s3logger.adapter.s3;

import io.s3logger.domain.model.ObjectKey;
import io.s3logger.domain.port.out.ObjectStore;
import io.s3logger.domain.port.out.ObjectStoreContract;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** The object store contract against LocalStack's S3; skipped where no Docker engine runs. */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackObjectStoreTest extends ObjectStoreContract {

    @Container
    private static final LocalStackContainer LOCALSTACK =
            new LocalStackContainer(DockerImageName.parse("localstack/localstack:3"))
                    .withServices(LocalStackContainer.Service.S3);

    private static S3Client admin;

    private final String bucket = "logs-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());

    @BeforeAll
    static void createAdminClient() {
        admin = client(settings("admin"));
    }

    @AfterAll
    static void closeAdminClient() {
        admin.close();
    }

    private static S3StoreSettings settings(String bucket) {
        return new S3StoreSettings(bucket, Optional.of(LOCALSTACK.getRegion()),
                Optional.of(LOCALSTACK.getEndpoint()), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), S3StoreSettings.MIN_PART_SIZE_BYTES,
                S3StoreSettings.MIN_PART_SIZE_BYTES, S3StoreSettings.DEFAULT_CONTENT_TYPE, Optional.empty());
    }

    private static S3Client client(S3StoreSettings settings) {
        return new S3ClientFactory(Map.of())
                .configure(settings)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey())))
                .build();
    }

    @Override
    protected ObjectStore newStore() {
        admin.createBucket(request -> request.bucket(bucket));
        S3StoreSettings settings = settings(bucket);
        return new S3ObjectStore(client(settings), settings);
    }

    @Override
    protected byte[] read(ObjectKey key) {
        try {
            return admin.getObjectAsBytes(request -> request.bucket(bucket).key(key.value())).asByteArray();
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
