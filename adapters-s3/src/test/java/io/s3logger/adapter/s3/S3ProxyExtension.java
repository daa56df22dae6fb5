package io.s3logger.adapter.s3;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One {@link S3ProxyServer} for a test class, with a client of it for creating buckets and reading
 * what the program stored: register it on a static field with {@code @RegisterExtension}; it
 * starts before the class's {@code @BeforeAll} methods and stops after its {@code @AfterAll} ones.
 */
public final class S3ProxyExtension implements BeforeAllCallback, AfterAllCallback {

    private S3ProxyServer server;
    private S3Client client;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = new S3ProxyServer();
        client = server.client(server.settings("admin"));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        client.close();
        server.close();
    }

    public S3ProxyServer server() {
        return server;
    }

    /** A client of the server with its keys, for any bucket. */
    public S3Client client() {
        return client;
    }
}
