package io.s3logger.adapter.s3;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An in-process S3Proxy over real HTTP on a free port of 127.0.0.1, keeping objects in memory
 * (or in a directory).
 * It can be stopped and started again on the same port with the same objects, to play a store
 * that goes down and comes back. Shipped in this module's test-jar for the integration tests.
 */
public final class S3ProxyServer implements AutoCloseable {

    public static final String ACCESS_KEY = "AKIDS3LOGGERTEST";
    public static final String SECRET_KEY = "s3logger-test-secret-0123456789abcdef";
    public static final String REGION = "us-east-1";

    private final BlobStoreContext context;
    private final URI endpoint;
    private S3Proxy proxy;

    public S3ProxyServer() throws Exception {
        this(ContextBuilder.newBuilder("transient"));
    }

    /** Keeping objects as files under {@code directory} instead (the benchmark's gigabytes). */
    public S3ProxyServer(Path directory) throws Exception {
        this(ContextBuilder.newBuilder("filesystem").overrides(properties("jclouds.filesystem.basedir", directory.toString())));
    }

    private S3ProxyServer(ContextBuilder blobStore) throws Exception {
        context = blobStore.credentials("identity", "credential").build(BlobStoreContext.class);
        proxy = newProxy(0);
        proxy.start();
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    private static Properties properties(String key, String value) {
        Properties properties = new Properties();
        properties.setProperty(key, value);
        return properties;
    }

    private S3Proxy newProxy(int port) {
        return S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                // The SDK sends headers S3Proxy does not know (e.g. x-amz-mp-object-size).
                .ignoreUnknownHeaders(true)
                .build();
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Stops serving; connections are refused until {@link #start()}. Objects are kept. */
    public synchronized void stop() throws Exception {
        proxy.stop();
    }

    /** Serves again on the same port, with the objects it had. */
    public synchronized void start() throws Exception {
        proxy = newProxy(endpoint.getPort());
        proxy.start();
    }

    /** Settings for {@code bucket} on this server, with 5 MiB parts from 5 MiB on. */
    public S3StoreSettings settings(String bucket) {
        return settings(bucket, Optional.empty(), Optional.empty(), Optional.empty());
    }

    S3StoreSettings settings(
            String bucket, Optional<String> storageClass, Optional<String> sse, Optional<String> contentEncoding) {
        return settings(bucket, endpoint, storageClass, sse, contentEncoding);
    }

    /** Settings for {@code bucket} reached through {@code via} (a proxy in front of this server). */
    S3StoreSettings settings(String bucket, URI via) {
        return settings(bucket, via, Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static S3StoreSettings settings(String bucket, URI endpoint, Optional<String> storageClass,
            Optional<String> sse, Optional<String> contentEncoding) {
        return new S3StoreSettings(
                bucket,
                Optional.of(REGION),
                Optional.of(endpoint),
                Optional.empty(),
                Optional.empty(),
                storageClass,
                sse,
                Optional.empty(),
                S3StoreSettings.MIN_PART_SIZE_BYTES,
                S3StoreSettings.MIN_PART_SIZE_BYTES,
                S3StoreSettings.DEFAULT_CONTENT_TYPE,
                contentEncoding);
    }

    /** A client built by {@link S3ClientFactory} for {@code settings}, with this server's keys. */
    public S3Client client(S3StoreSettings settings, String secretKey, ExecutionInterceptor... interceptors) {
        return client(settings, S3Deadlines.DEFAULT, secretKey, interceptors);
    }

    S3Client client(S3StoreSettings settings, S3Deadlines deadlines, String secretKey, ExecutionInterceptor... interceptors) {
        return client(settings, deadlines, ACCESS_KEY, secretKey, interceptors);
    }

    /** A client with these keys, right or wrong. */
    S3Client client(S3StoreSettings settings, S3Deadlines deadlines, String accessKey, String secretKey,
            ExecutionInterceptor... interceptors) {
        var builder = new S3ClientFactory(Map.of(), deadlines)
                .configure(settings)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)));
        var override = builder.overrideConfiguration().toBuilder();
        for (ExecutionInterceptor interceptor : interceptors) {
            override.addExecutionInterceptor(interceptor);
        }
        return builder.overrideConfiguration(override.build()).build();
    }

    public S3Client client(S3StoreSettings settings, ExecutionInterceptor... interceptors) {
        return client(settings, SECRET_KEY, interceptors);
    }

    @Override
    public synchronized void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
