package io.s3logger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import io.s3logger.adapter.s3.S3ProxyServer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * SPEC §9: secrets (the AWS secret key and session token, TLS key passwords) never appear in logs,
 * usage or error messages, at any log level, and neither do the users' objects. The fat jar runs
 * with known secret values through a TLS listener, failing uploads and, at DEBUG and TRACE, real
 * uploads (single and multipart) to S3Proxy; its whole output is searched for them.
 */
class SecretsIT {

    private static final String TLS_PASSWORD = "tls-secret-Q9zK";
    private static final String AWS_SECRET = "aws-secret-W7xP";
    private static final String SESSION_TOKEN = "session-token-J4vM8";
    /** In every object sent: it must reach the store and never the log. */
    private static final String USER_DATA = "user-data-marker-T6qL";
    private static final Duration EXIT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    private Path keystore() throws Exception {
        Path keystore = work.resolve("server.p12");
        Path keytool = ChildProgram.java().resolveSibling("keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", TLS_PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return keystore;
    }

    private static Map<String, String> environment(String tlsPassword) {
        return Map.of("S3LOGGER_TLS_KEYSTORE_PASSWORD", tlsPassword,
                "AWS_ACCESS_KEY_ID", "AKIDSECRETSTEST",
                "AWS_SECRET_ACCESS_KEY", AWS_SECRET,
                "AWS_REGION", "us-east-1",
                "AWS_EC2_METADATA_DISABLED", "true");
    }

    private static void sendOverTls(InetSocketAddress address, Path keystore, List<String> lines) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(keystore)) {
            trusted.load(in, TLS_PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(address.getAddress(), address.getPort())) {
            OutputStream out = socket.getOutputStream();
            for (String line : lines) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
        }
    }

    @Test
    void secretsNeverAppearInLogsUsageOrErrors() throws Exception {
        Path keystore = keystore();
        String[] flags = {"-addr", "127.0.0.1:0", "-dir", work.resolve("spool").toString(), "-bucket", "b",
            "-endpoint", "http://127.0.0.1:1", "-tls-keystore", keystore.toString(), "-t", "1s",
            "-shutdown-timeout", "1s", "-metrics-addr", ""};
        String output;
        try (ChildProgram program = ChildProgram.start(environment(TLS_PASSWORD), flags)) {
            sendOverTls(program.awaitListening(), keystore, List.of("{\"secret\":false}"));
            await().atMost(EXIT).until(() -> program.outputText().contains("failed (attempt"));
            assertThat(program.terminate(EXIT)).isZero();
            output = program.outputText();
        }
        assertThat(output).contains("Sealed segment").contains("s3://b").doesNotContain(TLS_PASSWORD).doesNotContain(AWS_SECRET);

        try (ChildProgram help = ChildProgram.start(environment(TLS_PASSWORD), "-h")) {
            assertThat(help.awaitExit(EXIT)).isZero();
            assertThat(help.outputText()).contains("-tls-keystore-password").doesNotContain(TLS_PASSWORD).doesNotContain(AWS_SECRET);
        }

        String wrong = "wrong-tls-password-5Hd";
        try (ChildProgram refused = ChildProgram.start(environment(wrong), flags)) {
            assertThat(refused.awaitExit(EXIT)).isEqualTo(2);
            assertThat(refused.output()).singleElement().asString()
                    .startsWith("s3logger: invalid TLS setting: " + keystore)
                    .doesNotContain(wrong).doesNotContain(TLS_PASSWORD);
        }
    }

    /**
     * At DEBUG and TRACE the SDK's signer logs the canonical request (with x-amz-security-token), and
     * the HTTP client's header and wire loggers print headers and request bodies.
     */
    @ParameterizedTest
    @ValueSource(strings = {"DEBUG", "TRACE"})
    void debugAndTraceLogsHoldNoSecretAndNoUserData(String level) throws Exception {
        List<String> expected = new ArrayList<>();
        StringBuilder payload = new StringBuilder();
        Random random = new Random(5);
        byte[] noise = new byte[4_500];
        // About 9 MB of incompressible lines: one segment of 8 MiB of input goes up in 5 MiB parts,
        // the rest in one PutObject at shutdown.
        for (int i = 0; i < 2_000; i++) {
            random.nextBytes(noise);
            String line = "{\"marker\":\"" + USER_DATA + "\",\"i\":" + i + ",\"noise\":\""
                    + Base64.getEncoder().encodeToString(noise) + "\"}";
            expected.add(line);
            payload.append(line).append('\n');
        }
        String output;
        try (S3ProxyServer server = new S3ProxyServer();
                S3Client reader = server.client(server.settings("unused"))) {
            reader.createBucket(request -> request.bucket("logs"));
            Map<String, String> environment = Map.of(
                    "AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY,
                    "AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY,
                    "AWS_SESSION_TOKEN", SESSION_TOKEN,
                    "AWS_REGION", S3ProxyServer.REGION,
                    "AWS_ENDPOINT_URL_S3", server.endpoint().toString(),
                    "AWS_EC2_METADATA_DISABLED", "true");
            try (ChildProgram program = ChildProgram.start(environment, "-bucket", "logs", "-addr", "127.0.0.1:0",
                    "-dir", work.resolve("spool").toString(), "-log-level", level, "-mb", "8", "-t", "1h",
                    "-multipart-threshold", "5MiB", "-part-size", "5MiB", "-metrics-addr", "")) {
                InetSocketAddress address = program.awaitListening();
                try (var socket = new java.net.Socket(address.getAddress(), address.getPort())) {
                    socket.getOutputStream().write(payload.toString().getBytes(StandardCharsets.US_ASCII));
                    socket.shutdownOutput();
                    JsonClient.awaitServerClose(socket.getInputStream());
                }
                assertThat(program.terminate(EXIT)).as(program.outputText()).isZero();
                output = program.outputText();
            }
            Map<String, byte[]> objects = StoredObjects.inBucket(reader, "logs");
            assertThat(objects).as("one multipart and one single upload").hasSize(2);
            StoredObjects.assertExactlyOnce(StoredObjects.allLines(objects.values()), expected);
        }
        assertThat(output).as("the run logged at " + level).contains(" " + level + " ");
        assertThat(output).doesNotContain(S3ProxyServer.SECRET_KEY).doesNotContain(SESSION_TOKEN)
                .doesNotContain(USER_DATA)
                // The HTTP client's header and wire loggers mark their lines so.
                .doesNotContainPattern("http-outgoing-\\d+ (>>|<<) ");
    }

    /** Typesafe Config's messages for a value of the wrong type show the value. */
    @ParameterizedTest
    @ValueSource(strings = {"[\"%s\"]", "{ a = \"%s\" }", "[1, {b = %s}]"})
    void aSecretOfTheWrongTypeIsNeverEchoed(String form) throws Exception {
        for (String key : List.of("keystore-password", "key-password")) {
            String secret = "wrong-typed-secret-8Rw" + key.length();
            Path config = work.resolve(key + ".conf");
            Files.writeString(config, "s3logger.tls." + key + " = " + form.formatted(secret) + "\n");
            try (ChildProgram refused = ChildProgram.start(Map.of(), "-config", config.toString(), "-bucket", "b",
                    "-dir", work.resolve("spool").toString())) {
                assertThat(refused.awaitExit(EXIT)).isEqualTo(2);
                assertThat(refused.output()).singleElement().asString()
                        .contains("s3logger.tls." + key).doesNotContain(secret);
            }
        }
    }
}
