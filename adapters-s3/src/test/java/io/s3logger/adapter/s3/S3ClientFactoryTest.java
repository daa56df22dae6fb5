package io.s3logger.adapter.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

class S3ClientFactoryTest {

    private static final URI MINIO = URI.create("http://minio.internal:9000");
    private static final Map<String, String> NO_ENV = Map.of();

    private static S3StoreSettings settings(Optional<URI> endpoint, Optional<Boolean> pathStyle) {
        return new S3StoreSettings("logs", Optional.of("eu-west-1"), endpoint, pathStyle, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(),
                S3StoreSettings.DEFAULT_MULTIPART_THRESHOLD_BYTES, S3StoreSettings.DEFAULT_PART_SIZE_BYTES,
                S3StoreSettings.DEFAULT_CONTENT_TYPE, Optional.empty());
    }

    private static final S3StoreSettings AWS = settings(Optional.empty(), Optional.empty());
    private static final S3StoreSettings CUSTOM = settings(Optional.of(MINIO), Optional.empty());

    @Test
    void customEndpointGetsChecksumsOnlyWhenRequired() {
        try (S3Client client = new S3ClientFactory(NO_ENV).create(CUSTOM)) {
            var config = client.serviceClientConfiguration();
            assertThat(config.endpointOverride()).contains(MINIO);
            assertThat(config.requestChecksumCalculation()).isEqualTo(RequestChecksumCalculation.WHEN_REQUIRED);
            assertThat(config.responseChecksumValidation()).isEqualTo(ResponseChecksumValidation.WHEN_REQUIRED);
            assertThat(config.region()).isEqualTo(Region.EU_WEST_1);
        }
    }

    @Test
    void awsKeepsTheSdkChecksumDefaults() {
        try (S3Client client = new S3ClientFactory(NO_ENV).create(AWS)) {
            var config = client.serviceClientConfiguration();
            assertThat(config.endpointOverride()).isEmpty();
            assertThat(config.requestChecksumCalculation()).isEqualTo(RequestChecksumCalculation.WHEN_SUPPORTED);
            assertThat(config.responseChecksumValidation()).isEqualTo(ResponseChecksumValidation.WHEN_SUPPORTED);
        }
    }

    @Test
    void endpointVariablesCountAsCustomEndpoints() {
        URI fromS3Variable = URI.create("http://s3-specific:9000");
        URI fromGeneralVariable = URI.create("http://general:9000");

        var both = new S3ClientFactory(Map.of(
                "AWS_ENDPOINT_URL_S3", fromS3Variable.toString(), "AWS_ENDPOINT_URL", fromGeneralVariable.toString()));
        var generalOnly = new S3ClientFactory(Map.of("AWS_ENDPOINT_URL", fromGeneralVariable.toString()));

        assertThat(both.customEndpoint(AWS)).contains(fromS3Variable);
        assertThat(generalOnly.customEndpoint(AWS)).contains(fromGeneralVariable);
        assertThat(both.customEndpoint(CUSTOM)).contains(MINIO);
        assertThat(both.pathStyle(AWS)).isTrue();
        try (S3Client client = both.create(AWS)) {
            assertThat(client.serviceClientConfiguration().endpointOverride()).contains(fromS3Variable);
            assertThat(client.serviceClientConfiguration().requestChecksumCalculation())
                    .isEqualTo(RequestChecksumCalculation.WHEN_REQUIRED);
        }
    }

    @Test
    void endpointFoundOnlyByTheSdkCountsAsCustom() {
        String property = "aws.endpointUrlS3";
        String before = System.getProperty(property);
        System.setProperty(property, "http://from-property:9000");
        try (S3Client client = new S3ClientFactory(NO_ENV).create(AWS)) {
            var config = client.serviceClientConfiguration();
            assertThat(config.endpointOverride()).contains(URI.create("http://from-property:9000"));
            assertThat(config.requestChecksumCalculation()).isEqualTo(RequestChecksumCalculation.WHEN_REQUIRED);
        } finally {
            if (before == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, before);
            }
        }
    }

    @Test
    void endpointVariablesCanBeIgnoredAsTheSdkAllows() {
        var factory = new S3ClientFactory(Map.of(
                "AWS_ENDPOINT_URL_S3", "http://s3-specific:9000", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"));

        assertThat(factory.customEndpoint(AWS)).isEmpty();
        assertThat(factory.pathStyle(AWS)).isFalse();
    }

    @Test
    void malformedEndpointVariableIsNamed() {
        var factory = new S3ClientFactory(Map.of("AWS_ENDPOINT_URL_S3", "minio:9000"));

        assertThatThrownBy(() -> factory.create(AWS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("AWS_ENDPOINT_URL_S3:");
    }

    @Test
    void pathStyleIsOnByDefaultOnlyForCustomEndpoints() {
        var factory = new S3ClientFactory(NO_ENV);

        assertThat(factory.pathStyle(CUSTOM)).isTrue();
        assertThat(factory.pathStyle(AWS)).isFalse();
        assertThat(factory.pathStyle(settings(Optional.of(MINIO), Optional.of(false)))).isFalse();
        assertThat(factory.pathStyle(settings(Optional.empty(), Optional.of(true)))).isTrue();
    }

    @Test
    void requestsAddressTheBucketAsConfigured() {
        assertThat(firstRequest(CUSTOM).host()).isEqualTo("minio.internal");
        assertThat(firstRequest(CUSTOM).encodedPath()).isEqualTo("/logs/some/key");

        SdkHttpRequest virtualHosted = firstRequest(settings(Optional.of(MINIO), Optional.of(false)));
        assertThat(virtualHosted.host()).isEqualTo("logs.minio.internal");
        assertThat(virtualHosted.encodedPath()).isEqualTo("/some/key");

        assertThat(firstRequest(AWS).host()).isEqualTo("logs.s3.eu-west-1.amazonaws.com");
    }

    @Test
    void profileSuppliesTheCredentials() {
        S3StoreSettings withProfile = new S3StoreSettings("logs", Optional.of("eu-west-1"), Optional.empty(),
                Optional.empty(), Optional.of("uploader"), Optional.empty(), Optional.empty(), Optional.empty(),
                S3StoreSettings.DEFAULT_MULTIPART_THRESHOLD_BYTES, S3StoreSettings.DEFAULT_PART_SIZE_BYTES,
                S3StoreSettings.DEFAULT_CONTENT_TYPE, Optional.empty());

        try (S3Client client = new S3ClientFactory(NO_ENV).create(withProfile)) {
            assertThat(client.serviceClientConfiguration().credentialsProvider())
                    .isInstanceOf(ProfileCredentialsProvider.class);
            assertThat(client.serviceClientConfiguration().overrideConfiguration().defaultProfileName())
                    .contains("uploader");
        }
    }

    /** The HTTP request a HeadObject would send, captured before it leaves the process. */
    private static SdkHttpRequest firstRequest(S3StoreSettings settings) {
        RecordingInterceptor stopper = new RecordingInterceptor("HeadObject", 1);
        var builder = new S3ClientFactory(NO_ENV).configure(settings)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")));
        builder.overrideConfiguration(builder.overrideConfiguration().toBuilder().addExecutionInterceptor(stopper).build());
        try (S3Client client = builder.build()) {
            assertThatThrownBy(() -> client.headObject(request -> request.bucket("logs").key("some/key")))
                    .isInstanceOf(RecordingInterceptor.InjectedFailure.class);
        }
        return stopper.requests("HeadObject").getFirst();
    }
}
