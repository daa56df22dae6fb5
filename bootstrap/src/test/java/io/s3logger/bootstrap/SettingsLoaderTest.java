package io.s3logger.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3logger.adapter.s3.S3StoreSettings;
import io.s3logger.adapter.tcp.TlsSettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLoaderTest {

    @TempDir
    Path dir;

    private static Settings load(Map<String, String> env, String... args) throws SettingsException {
        return new SettingsLoader(env).load(CommandLine.parse(List.of(args)));
    }

    private static Settings load(String... args) throws SettingsException {
        return load(Map.of(), args);
    }

    @Test
    void defaultsMatchTheOriginal() throws Exception {
        Settings settings = load("-bucket", "b");

        assertThat(settings.listen().host()).isEqualTo("localhost");
        assertThat(settings.listen().port()).isEqualTo(8080);
        assertThat(settings.spool().dir()).isEqualTo(Path.of("/var/spool/s3logger"));
        assertThat(settings.rotation().maxAge()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.rotation().maxBytes()).isEqualTo(512L << 20);
        assertThat(settings.spool().flushInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.spool().compressionLevel()).isEqualTo(1);
        assertThat(settings.delivery().shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.retry().upload().initial()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.retry().upload().max()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.retry().spoolRetry()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.prefix()).isEmpty();
        S3StoreSettings s3 = ((Settings.S3Store) settings.store()).s3();
        assertThat(s3.bucket()).isEqualTo("b");
        assertThat(s3.contentType()).isEqualTo("application/gzip");
        assertThat(s3.contentEncoding()).isEmpty();
        assertThat(s3.pathStyle()).isEmpty();
        assertThat(s3.multipartThresholdBytes()).isEqualTo(64L << 20);
    }

    @Test
    void precedenceIsFlagsThenEnvironmentThenFileThenDefaults() throws Exception {
        Path file = Files.writeString(dir.resolve("s3logger.conf"), """
                s3logger {
                  local-store = "/tmp/objects"
                  prefix = from-file
                  rotation.max-age = 2m
                  rotation.max-mb = 7
                }
                """);
        Map<String, String> env = Map.of("S3LOGGER_ROTATION_MAX_AGE", "3m", "S3LOGGER_PREFIX", "from-env");

        Settings settings = load(env, "-config", file.toString(), "-prefix", "from-flag");

        assertThat(settings.prefix()).isEqualTo("from-flag");
        assertThat(settings.rotation().maxAge()).isEqualTo(Duration.ofMinutes(3));
        assertThat(settings.rotation().maxBytes()).isEqualTo(7L << 20);
        assertThat(settings.store()).isEqualTo(new Settings.LocalStore(Path.of("/tmp/objects")));
        assertThat(settings.spool().queueBytes()).isEqualTo(16L << 20);
    }

    @Test
    void zeroMegabytesDisablesSizeRotation() throws Exception {
        assertThat(load("-bucket", "b", "-mb", "0").rotation().maxBytes()).isZero();
    }

    @Test
    void connectionMemoryIsDerivedFromTheHeapUnlessSet() throws Exception {
        long mib = 1024 * 1024;
        assertThat(load("-bucket", "b", "-queue-mb", "8").listen().connectionMemoryBytes())
                .isEqualTo(io.s3logger.adapter.tcp.ConnectionMemoryBudget.defaultCapacityBytes(Runtime.getRuntime().maxMemory(), 8 * mib));
        assertThat(load(Map.of("S3LOGGER_CONNECTION_MEMORY_MB", "100"), "-bucket", "b").listen().connectionMemoryBytes())
                .isEqualTo(100 * mib);
        assertThatThrownBy(() -> load("-bucket", "b", "-connection-memory-mb", "23"))
                .hasMessageContaining("-connection-memory-mb").hasMessageContaining("\"23\"").hasMessageContaining("at least 24 MiB");
        assertThatThrownBy(() -> load("-bucket", "b", "-connection-memory-mb", "-1"))
                .hasMessageContaining("-connection-memory-mb");
    }

    @Test
    void addressForms() throws Exception {
        assertThat(load("-bucket", "b", "-addr", ":9000").listen().host()).isEqualTo("0.0.0.0");
        assertThat(load("-bucket", "b", "-addr", "[::1]:9000").listen().host()).isEqualTo("::1");
        assertThat(load("-bucket", "b", "-addr", "127.0.0.1:0").listen().port()).isZero();
    }

    @Test
    void s3SettingsAreMapped() throws Exception {
        Settings settings = load("-bucket", "b", "-region", "eu-west-1", "-endpoint", "http://localhost:9000",
                "-path-style=false", "-storage-class", "STANDARD_IA", "-sse", "aws:kms", "-sse-kms-key-id", "k",
                "-multipart-threshold", "32MiB", "-part-size", "8MiB", "-content-encoding", "gzip");

        S3StoreSettings s3 = ((Settings.S3Store) settings.store()).s3();
        assertThat(s3.region()).contains("eu-west-1");
        assertThat(s3.endpoint()).contains(URI.create("http://localhost:9000"));
        assertThat(s3.pathStyle()).contains(false);
        assertThat(s3.storageClass()).contains("STANDARD_IA");
        assertThat(s3.serverSideEncryption()).contains("aws:kms");
        assertThat(s3.kmsKeyId()).contains("k");
        assertThat(s3.multipartThresholdBytes()).isEqualTo(32L << 20);
        assertThat(s3.partSizeBytes()).isEqualTo(8L << 20);
        assertThat(s3.contentEncoding()).isEqualTo(Optional.of("gzip"));
    }

    @Test
    void monitoringAndLogDefaults() throws Exception {
        Settings settings = load("-bucket", "b");

        assertThat(settings.monitoring().address()).contains(java.net.InetSocketAddress.createUnresolved("localhost", 9464));
        assertThat(settings.monitoring().readyMaxBacklogSegments()).isEqualTo(12);
        assertThat(settings.monitoring().storeStaleAfter()).isEqualTo(Duration.ofMinutes(1));
        assertThat(settings.log()).isEqualTo(new Settings.LogSettings(
                org.slf4j.event.Level.INFO, Settings.LogFormat.HUMAN, Optional.of(Duration.ofMinutes(1))));
    }

    @Test
    void monitoringAndLogSettingsAreMapped() throws Exception {
        Settings settings = load(Map.of("S3LOGGER_LOG_LEVEL", "debug"), "-bucket", "b", "-metrics-addr", "",
                "-ready-max-backlog", "0", "-store-stale-after", "90s", "-log-format", "JSON", "-status-interval", "0");

        assertThat(settings.monitoring().address()).isEmpty();
        assertThat(settings.monitoring().readyMaxBacklogSegments()).isZero();
        assertThat(settings.monitoring().storeStaleAfter()).isEqualTo(Duration.ofSeconds(90));
        assertThat(settings.log()).isEqualTo(new Settings.LogSettings(
                org.slf4j.event.Level.DEBUG, Settings.LogFormat.JSON, Optional.empty()));
        assertThat(load("-bucket", "b", "-metrics-addr", ":9100").monitoring().address())
                .contains(java.net.InetSocketAddress.createUnresolved("0.0.0.0", 9100));
    }

    @Test
    void badMonitoringAndLogValuesAreReportedByFlag() {
        assertThatThrownBy(() -> load("-bucket", "b", "-log-format", "xml"))
                .hasMessage("invalid value \"xml\" for -log-format: expected one of human, json");
        assertThatThrownBy(() -> load("-bucket", "b", "-log-level", "loud"))
                .hasMessage("invalid value \"loud\" for -log-level: expected one of error, warn, info, debug, trace");
        assertThatThrownBy(() -> load("-bucket", "b", "-metrics-addr", "9464"))
                .hasMessageStartingWith("invalid value \"9464\" for -metrics-addr: expected host:port");
        assertThatThrownBy(() -> load("-bucket", "b", "-ready-max-backlog", "-1"))
                .hasMessage("invalid value \"-1\" for -ready-max-backlog: expected a whole number of segments, 0 for no limit");
        assertThatThrownBy(() -> load("-bucket", "b", "-store-stale-after", "0"))
                .hasMessageStartingWith("invalid value \"0\" for -store-stale-after: expected a positive duration");
        assertThatThrownBy(() -> load("-bucket", "b", "-status-interval", "often"))
                .hasMessage("invalid value \"often\" for -status-interval: expected " + GoDuration.FORM);
    }

    @Test
    void badValuesNameTheFlagTheValueAndTheAcceptedForm() {
        assertThatThrownBy(() -> load("-bucket", "b", "-t", "abc"))
                .hasMessage("invalid value \"abc\" for -t: expected " + GoDuration.FORM);
        assertThatThrownBy(() -> load("-bucket", "b", "-mb", "-1"))
                .hasMessage("invalid value \"-1\" for -mb: expected a whole number of MiB, 0 to disable");
        assertThatThrownBy(() -> load("-bucket", "b", "-t", "500ms"))
                .hasMessage("invalid value \"500ms\" for -t: expected a duration of at least 1s, such as 5m");
        assertThatThrownBy(() -> load("-bucket", "b", "-addr", "localhost"))
                .hasMessageStartingWith("invalid value \"localhost\" for -addr: expected host:port");
        assertThatThrownBy(() -> load("-bucket", "b", "-compression-level", "0"))
                .hasMessage("invalid value \"0\" for -compression-level: expected a gzip level from 1 to 9");
    }

    @Test
    void badValuesFromEnvironmentAndFileNameTheirSource() throws Exception {
        assertThatThrownBy(() -> load(Map.of("S3LOGGER_ROTATION_MAX_AGE", "soon"), "-bucket", "b"))
                .hasMessage("invalid value \"soon\" for S3LOGGER_ROTATION_MAX_AGE: expected " + GoDuration.FORM);
        Path file = Files.writeString(dir.resolve("bad.conf"), "s3logger.rotation.max-mb = lots\n");
        assertThatThrownBy(() -> load("-bucket", "b", "-config", file.toString()))
                .hasMessageStartingWith("invalid value \"lots\" for s3logger.rotation.max-mb (")
                .hasMessageContaining("bad.conf");
    }

    @Test
    void unknownKeysInTheFileAreRejected() throws Exception {
        Path file = Files.writeString(dir.resolve("typo.conf"), "s3logger.rotation.max-ag = 5m\n");

        assertThatThrownBy(() -> load("-bucket", "b", "-config", file.toString()))
                .hasMessageStartingWith("unknown setting s3logger.rotation.max-ag");
    }

    @Test
    void missingConfigFileIsAnError() {
        assertThatThrownBy(() -> load("-config", dir.resolve("none.conf").toString()))
                .hasMessageStartingWith("-config " + dir.resolve("none.conf"));
    }

    @Test
    void aStoreMustBeChosenAndOnlyOne() {
        assertThatThrownBy(() -> load())
                .hasMessage("no object store chosen: give -bucket NAME to upload to S3,"
                        + " or -local-store DIR to write objects to a local directory");
        assertThatThrownBy(() -> load("-bucket", "b", "-local-store", "/tmp/x"))
                .hasMessageContaining("choose one object store");
    }

    @Test
    void invalidS3ValuesAreReportedByName() {
        assertThatThrownBy(() -> load("-bucket", "b", "-sse", "rot13"))
                .hasMessageStartingWith("invalid S3 setting: server-side encryption: 'rot13'");
        assertThatThrownBy(() -> load("-bucket", "b", "-part-size", "lots"))
                .hasMessageStartingWith("invalid value \"lots\" for -part-size");
    }

    @Test
    void listenerLimitsAndTlsAreMapped() throws Exception {
        Settings plain = load("-bucket", "b", "-max-connections", "100", "-idle-timeout", "90s");
        assertThat(plain.listen().maxConnections()).isEqualTo(100);
        assertThat(plain.listen().idleTimeout()).contains(Duration.ofSeconds(90));
        assertThat(plain.listen().tls()).isEmpty();
        assertThat(load("-bucket", "b").listen().idleTimeout()).isEmpty();
        assertThat(load("-bucket", "b", "-idle-timeout", "0").listen().idleTimeout()).isEmpty();

        Settings pem = load(Map.of("S3LOGGER_TLS_KEY_PASSWORD", "pw"), "-bucket", "b",
                "-tls-cert", "/etc/c.pem", "-tls-key", "/etc/k.pem", "-tls-client-ca", "/etc/ca.pem");
        TlsSettings tls = pem.listen().tls().orElseThrow();
        assertThat(tls.serverKey()).isEqualTo(new TlsSettings.PemFiles(Path.of("/etc/c.pem"), Path.of("/etc/k.pem"),
                Optional.of(new TlsSettings.Password("pw"))));
        assertThat(tls.clientCaFile()).contains(Path.of("/etc/ca.pem"));

        Settings pkcs12 = load(Map.of("S3LOGGER_TLS_KEYSTORE_PASSWORD", "pw"), "-bucket", "b", "-tls-keystore", "/etc/ks.p12");
        assertThat(pkcs12.listen().tls().orElseThrow().serverKey())
                .isEqualTo(new TlsSettings.Pkcs12Keystore(Path.of("/etc/ks.p12"), new TlsSettings.Password("pw")));
    }

    @Test
    void incompleteOrConflictingTlsSettingsAreRejectedByName() {
        assertThatThrownBy(() -> load("-bucket", "b", "-tls-cert", "/etc/c.pem"))
                .hasMessageStartingWith("missing value for -tls-key (s3logger.tls.key): expected a PEM file");
        assertThatThrownBy(() -> load("-bucket", "b", "-tls-keystore", "/etc/ks.p12"))
                .hasMessageStartingWith("missing value for -tls-keystore-password (s3logger.tls.keystore-password)");
        assertThatThrownBy(() -> load("-bucket", "b", "-tls-keystore", "/k.p12", "-tls-cert", "/c.pem"))
                .hasMessage("-tls-keystore and -tls-cert are both set: give either a PKCS#12 keystore or a PEM certificate and key");
        assertThatThrownBy(() -> load("-bucket", "b", "-tls-client-ca", "/etc/ca.pem"))
                .hasMessageContaining("-tls-client-ca needs TLS");
        assertThatThrownBy(() -> load("-bucket", "b", "-max-connections", "-5"))
                .hasMessage("invalid value \"-5\" for -max-connections: expected a whole number, 0 for no limit");
    }

    @Test
    void anUnusablePathNamesTheFormItsSettingNeeds() {
        // A NUL is the one character no path on this system may hold.
        assertThatThrownBy(() -> load("-bucket", "b", "-tls-cert", "/etc/c\u0000.pem", "-tls-key", "/etc/k.pem"))
                .hasMessage("invalid value \"/etc/c\u0000.pem\" for -tls-cert: expected a file path");
        assertThatThrownBy(() -> load("-bucket", "b", "-dir", "/var/spool/s\u0000"))
                .hasMessage("invalid value \"/var/spool/s\u0000\" for -dir: expected a directory path");
    }

    @Test
    void aSecretOfTheWrongTypeIsNamedButNotShown() throws Exception {
        for (String key : new String[] {"s3logger.tls.keystore-password", "s3logger.tls.key-password"}) {
            for (String value : new String[] {"[\"list-secret-1\"]", "[1, {b = object-secret-2}]"}) {
                Path file = Files.writeString(dir.resolve("secret.conf"), key + " = " + value + "\n");
                assertThatThrownBy(() -> load("-bucket", "b", "-config", file.toString()))
                        .hasMessageStartingWith("invalid value (not shown: a secret) for " + key + " (")
                        .hasMessageContaining("secret.conf")
                        .message().doesNotContain("-secret-");
            }
        }
    }
}
