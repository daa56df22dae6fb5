package io.s3logger.adapter.s3;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds the synchronous {@link S3Client} that {@link S3ObjectStore} uses.
 *
 * <ul>
 *   <li>Endpoint: {@link S3StoreSettings#endpoint()}, else the standard variables
 *       {@code AWS_ENDPOINT_URL_S3} then {@code AWS_ENDPOINT_URL} (ignored when
 *       {@code AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true}, as the SDK does), else one the SDK finds
 *       itself (system property, profile {@code endpoint_url}), else AWS. The resolved endpoint
 *       is set explicitly, so what the client uses and what this class calls "custom" cannot
 *       disagree.
 *   <li>With a custom endpoint: path-style addressing unless turned off, and checksums only
 *       where an operation requires them ({@code WHEN_REQUIRED}): many S3-compatible servers
 *       reject the SDK's default aws-chunked CRC trailers. For the same reason bodies are never
 *       sent aws-chunked (over plain HTTP the SDK signs the whole payload instead). Against AWS
 *       the SDK defaults stay.
 *   <li>Region: the setting, else the SDK's default region chain (for the profile if one is
 *       given), else {@value S3StoreSettings#FALLBACK_REGION} for a custom endpoint.
 *   <li>Credentials: the profile's if one is given, else the SDK's default chain
 *       (environment, {@code AWS_PROFILE}, SSO, web identity, container and instance roles).
 *   <li>HTTP: the Apache 5 client, chosen explicitly so no service-loader lookup is needed.
 *   <li>Deadlines and retries from {@link S3Deadlines}: connect and socket timeouts on the HTTP
 *       client, attempt and call timeouts on every call (calls with a body get more, see {@link
 *       S3ObjectStore}), and the SDK's standard retry strategy with {@value
 *       S3Deadlines#MAX_ATTEMPTS} attempts, the only retry policy below the delivery backoff.
 * </ul>
 */
public final class S3ClientFactory {

    private static final Logger LOG = LoggerFactory.getLogger(S3ClientFactory.class);

    static final String ENDPOINT_S3_VARIABLE = "AWS_ENDPOINT_URL_S3";
    static final String ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL";
    static final String IGNORE_ENDPOINTS_VARIABLE = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";

    private final Map<String, String> environment;
    private final S3Deadlines deadlines;

    /** @param environment the process environment, normally {@link System#getenv()} */
    public S3ClientFactory(Map<String, String> environment) {
        this(environment, S3Deadlines.DEFAULT);
    }

    public S3ClientFactory(Map<String, String> environment, S3Deadlines deadlines) {
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        this.deadlines = Objects.requireNonNull(deadlines, "deadlines");
    }

    /**
     * The endpoint that replaces AWS's, if any: from the settings, else from the environment.
     *
     * @throws IllegalArgumentException if an endpoint variable is not an http(s) URL
     */
    public Optional<URI> customEndpoint(S3StoreSettings settings) {
        if (settings.endpoint().isPresent()) {
            return settings.endpoint();
        }
        if ("true".equalsIgnoreCase(environment.getOrDefault(IGNORE_ENDPOINTS_VARIABLE, "").strip())) {
            return Optional.empty();
        }
        for (String variable : new String[] {ENDPOINT_S3_VARIABLE, ENDPOINT_VARIABLE}) {
            String value = environment.getOrDefault(variable, "").strip();
            if (!value.isEmpty()) {
                return Optional.of(endpointFromVariable(variable, value));
            }
        }
        return Optional.empty();
    }

    /** Whether the client addresses buckets path-style ({@code https://host/bucket/key}). */
    public boolean pathStyle(S3StoreSettings settings) {
        return pathStyle(settings, customEndpoint(settings));
    }

    /**
     * A new client; the caller owns and closes it. An endpoint that only the SDK finds (system
     * property {@code aws.endpointUrlS3}, {@code endpoint_url} in the profile) is treated as
     * custom too: the client is then rebuilt with that endpoint and the custom-endpoint rules.
     *
     * @throws IllegalArgumentException if no region can be found for AWS, or an endpoint variable
     *     is malformed
     */
    public S3Client create(S3StoreSettings settings) {
        Optional<URI> endpoint = customEndpoint(settings);
        S3Client client = configure(settings, endpoint).build();
        Optional<URI> foundBySdk = client.serviceClientConfiguration().endpointOverride();
        if (endpoint.isEmpty() && foundBySdk.isPresent()) {
            LOG.info("Using S3 endpoint {} from the AWS SDK configuration", foundBySdk.get());
            client.close();
            client = configure(settings, foundBySdk).build();
        }
        return client;
    }

    /**
     * A builder configured as {@link #create} would build it, for callers that add to it (for
     * example execution interceptors, keeping the {@link S3ClientBuilder#overrideConfiguration()}
     * already set). Only the settings and the endpoint variables decide whether the endpoint is
     * custom here.
     *
     * @throws IllegalArgumentException as {@link #create}
     */
    public S3ClientBuilder configure(S3StoreSettings settings) {
        return configure(settings, customEndpoint(settings));
    }

    private S3ClientBuilder configure(S3StoreSettings settings, Optional<URI> endpoint) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(Apache5HttpClient.builder()
                        .connectionTimeout(deadlines.connectTimeout())
                        .connectionAcquisitionTimeout(deadlines.connectTimeout())
                        .socketTimeout(deadlines.socketTimeout()))
                .credentialsProvider(credentials(settings))
                .region(region(settings, endpoint.isPresent()))
                .forcePathStyle(pathStyle(settings, endpoint))
                .overrideConfiguration(o -> {
                    o.apiCallAttemptTimeout(deadlines.attemptTimeout(0))
                            .apiCallTimeout(deadlines.callTimeout(0))
                            .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                    .maxAttempts(S3Deadlines.MAX_ATTEMPTS)
                                    .build());
                    settings.profile().ifPresent(o::defaultProfileName);
                });
        endpoint.ifPresent(uri -> builder.endpointOverride(uri)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // Over plain HTTP the SDK would otherwise sign the body in aws-chunked encoding,
                // which some servers keep as the object's Content-Encoding.
                .serviceConfiguration(c -> c.chunkedEncodingEnabled(false)));
        return builder;
    }

    private static boolean pathStyle(S3StoreSettings settings, Optional<URI> endpoint) {
        return settings.pathStyle().orElse(endpoint.isPresent());
    }

    private static AwsCredentialsProvider credentials(S3StoreSettings settings) {
        return settings.profile()
                .<AwsCredentialsProvider>map(profile ->
                        ProfileCredentialsProvider.builder().profileName(profile).build())
                .orElseGet(() -> DefaultCredentialsProvider.builder().build());
    }

    private static Region region(S3StoreSettings settings, boolean customEndpoint) {
        if (settings.region().isPresent()) {
            return Region.of(settings.region().get());
        }
        var chain = DefaultAwsRegionProviderChain.builder();
        settings.profile().ifPresent(chain::profileName);
        try {
            return chain.build().getRegion();
        } catch (SdkClientException e) {
            if (customEndpoint) {
                // S3-compatible servers mostly ignore the region, but SigV4 needs one.
                return Region.of(S3StoreSettings.FALLBACK_REGION);
            }
            throw new IllegalArgumentException(
                    "region: none configured; set -region (s3logger.s3.region), AWS_REGION, or a region in the"
                            + " AWS profile",
                    e);
        }
    }

    private static URI endpointFromVariable(String variable, String value) {
        try {
            URI uri = URI.create(value);
            if (uri.getRawUserInfo() == null
                    && uri.getHost() != null
                    && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                variable + ": not an http(s) URL with a host (expected e.g. http://localhost:9000)");
    }
}
