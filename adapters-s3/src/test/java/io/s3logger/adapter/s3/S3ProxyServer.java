package io.s3logger.adapter.s3;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;

/** An in-process S3Proxy over real HTTP on a free port of 127.0.0.1, keeping objects in memory. */
final class S3ProxyServer implements AutoCloseable {

    static final String ACCESS_KEY = "AKIDS3LOGGERTEST";
    static final String SECRET_KEY = "s3logger-test-secret-0123456789abcdef";
    static final String REGION = "us-east-1";

    private final BlobStoreContext context;
    private final S3Proxy proxy;
    private final URI endpoint;

    S3ProxyServer() throws Exception {
        context = ContextBuilder.newBuilder("transient")
                .credentials("identity", "credential")
                .build(BlobStoreContext.class);
        proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                // The SDK sends headers S3Proxy does not know (e.g. x-amz-mp-object-size).
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    URI endpoint() {
        return endpoint;
    }

    /** Settings for {@code bucket} on this server, with 5 MiB parts from 5 MiB on. */
    S3StoreSettings settings(String bucket) {
        return settings(bucket, Optional.empty(), Optional.empty(), Optional.empty());
    }

    S3StoreSettings settings(
            String bucket, Optional<String> storageClass, Optional<String> sse, Optional<String> contentEncoding) {
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
    S3Client client(S3StoreSettings settings, String secretKey, ExecutionInterceptor... interceptors) {
        var builder = new S3ClientFactory(Map.of())
                .configure(settings)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, secretKey)));
        var override = builder.overrideConfiguration().toBuilder();
        for (ExecutionInterceptor interceptor : interceptors) {
            override.addExecutionInterceptor(interceptor);
        }
        return builder.overrideConfiguration(override.build()).build();
    }

    S3Client client(S3StoreSettings settings, ExecutionInterceptor... interceptors) {
        return client(settings, SECRET_KEY, interceptors);
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
