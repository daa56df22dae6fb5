package io.s3logger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.s3logger.adapter.s3.S3ProxyExtension;
import io.s3logger.adapter.s3.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fat jar with no AWS credentials anywhere (an empty environment, empty credentials and config
 * files, no instance metadata): start-up and every delivery warning name the cause in one line.
 */
class S3CredentialsIT {

    private static final Duration EXIT = Duration.ofSeconds(60);
    private static final String NO_CREDENTIALS = "no AWS credentials found: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY,"
            + " a profile (-profile, AWS_PROFILE) or a role";

    @RegisterExtension
    static final S3ProxyExtension s3 = new S3ProxyExtension();

    @TempDir
    Path work;

    @Test
    void withoutCredentialsEveryLineSaysSoInOneLine() throws Exception {
        Path home = Files.createDirectory(work.resolve("home"));
        List<String> command = new ArrayList<>(List.of(ChildProgram.java().toString(), "-jar", ChildProgram.jar().toString(),
                "-addr", "127.0.0.1:0", "-dir", work.resolve("spool").toString(), "-bucket", "logs",
                "-endpoint", s3.server().endpoint().toString(), "-region", S3ProxyServer.REGION, "-t", "1s",
                "-retry-initial", "200ms", "-retry-max", "400ms", "-shutdown-timeout", "1s"));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(java.util.Map.of("PATH", "/usr/bin:/bin", "HOME", home.toString(),
                "AWS_SHARED_CREDENTIALS_FILE", Files.createFile(work.resolve("credentials")).toString(),
                "AWS_CONFIG_FILE", Files.createFile(work.resolve("config")).toString(),
                "AWS_EC2_METADATA_DISABLED", "true"));

        try (ChildProgram program = ChildProgram.start(builder)) {
            JsonClient.send(program.awaitListening(), 1, 10, JsonClient.Shape.COMPACT_LINES);
            await().atMost(EXIT).until(() -> program.outputText().contains("Delivery of dt="));

            String endpoint = s3.server().endpoint().toString();
            await().atMost(EXIT).until(() -> program.outputText().contains("cannot be used now"));
            assertThat(program.output()).filteredOn(line -> line.contains("cannot be used now")).singleElement().asString()
                    .endsWith("WARN  [store-check] S3Logger - Object store s3://logs at " + endpoint + " in us-east-1 cannot be used"
                            + " now (bucket 'logs' at endpoint " + endpoint + " is not usable: " + NO_CREDENTIALS + ");"
                            + " accepting data anyway, it waits in the spool until the store works");
            assertThat(program.output()).filteredOn(line -> line.contains("Delivery of dt=")).first().asString()
                    .matches(".* WARN  \\[uploader-\\d+\\] DeliveryService - Delivery of dt=\\S+ failed \\(attempt 1, failing for"
                            + " 0 s\\); retrying in \\d+ ms; the file stays in the spool: cannot upload s3://logs/dt=\\S+: "
                            + java.util.regex.Pattern.quote(NO_CREDENTIALS));
            assertThat(program.outputText()).doesNotContain("CredentialsProvider").doesNotContain("unreachable");
            assertThat(program.terminate(EXIT)).isZero();
        }
    }
}
