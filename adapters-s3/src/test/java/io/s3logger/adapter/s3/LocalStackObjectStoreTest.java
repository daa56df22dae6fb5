package io.s3logger.adapter.s3;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/** The object store contract against LocalStack's S3; skipped where no Docker engine runs. */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackObjectStoreTest extends S3ObjectStoreContract {

    @Container
    private static final LocalStackContainer LOCALSTACK =
            new LocalStackContainer(DockerImageName.parse("localstack/localstack:3"))
                    .withServices(LocalStackContainer.Service.S3);

    private static S3Client admin;

    @BeforeAll
    static void createAdminClient() {
        admin = localStackClient(localStackSettings("admin"));
    }

    @AfterAll
    static void closeAdminClient() {
        admin.close();
    }

    private static S3StoreSettings localStackSettings(String bucket) {
        return new S3StoreSettings(bucket, Optional.of(LOCALSTACK.getRegion()),
                Optional.of(LOCALSTACK.getEndpoint()), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), S3StoreSettings.MIN_PART_SIZE_BYTES,
                S3StoreSettings.MIN_PART_SIZE_BYTES, S3StoreSettings.DEFAULT_CONTENT_TYPE, Optional.empty());
    }

    private static S3Client localStackClient(S3StoreSettings settings) {
        return new S3ClientFactory(Map.of())
                .configure(settings)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey())))
                .build();
    }

    @Override
    protected S3Client admin() {
        return admin;
    }

    @Override
    protected S3StoreSettings settings(String bucket) {
        return localStackSettings(bucket);
    }

    @Override
    protected S3Client client(S3StoreSettings settings) {
        return localStackClient(settings);
    }
}
