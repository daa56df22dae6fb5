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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §9: secrets (the AWS secret key, TLS key passwords) never appear in logs, usage or error
 * messages. The fat jar runs with known secret values through a TLS listener and failing uploads,
 * and its whole output is searched for them.
 */
class SecretsIT {

    private static final String TLS_PASSWORD = "tls-secret-Q9zK";
    private static final String AWS_SECRET = "aws-secret-W7xP";
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
}
