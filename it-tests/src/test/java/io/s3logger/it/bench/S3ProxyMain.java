package io.s3logger.it.bench;

import io.s3logger.adapter.s3.S3ProxyServer;
import java.nio.file.Path;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3-compatible server of {@code load.sh -store s3}: S3Proxy over real HTTP on a free port of
 * 127.0.0.1, keeping objects as files under DIRECTORY, with the bucket {@code bench} created. It
 * prints {@code endpoint=URL} once serving and stops when its standard input ends.
 *
 * <pre>
 * java -cp "$(cat it-tests/target/test-classpath.txt):it-tests/target/test-classes" io.s3logger.it.bench.S3ProxyMain DIRECTORY
 * </pre>
 */
public final class S3ProxyMain {

    public static final String BUCKET = "bench";

    private S3ProxyMain() {}

    public static void main(String[] args) throws Exception {
        try (S3ProxyServer server = new S3ProxyServer(Path.of(args[0]));
                S3Client client = server.client(server.settings(BUCKET))) {
            client.createBucket(request -> request.bucket(BUCKET));
            System.out.println("endpoint=" + server.endpoint());
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the caller closes our input
            }
        }
    }
}
