package io.s3logger.bootstrap;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.s3logger.adapter.s3.S3StoreSettings;
import io.s3logger.adapter.tcp.ConnectionMemoryBudget;
import io.s3logger.adapter.tcp.TcpSettings;
import io.s3logger.adapter.tcp.TlsSettings;
import io.s3logger.domain.model.RotationPolicy;
import io.s3logger.domain.model.SpoolCap;
import io.s3logger.domain.service.Backoff;
import io.s3logger.domain.service.RetryTiming;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the settings once, from command-line flags, environment, {@code -config} file and
 * reference.conf (in that order of precedence), and validates every value. Each problem becomes
 * a {@link SettingsException} naming the flag, variable or key, the value and the accepted form.
 */
public final class SettingsLoader {

    static final Duration MIN_MAX_AGE = Duration.ofSeconds(1);
    private static final String COMMAND_LINE = "command line";
    static final String ENVIRONMENT = "environment";
    static final long MIB = 1024L * 1024;

    private final Map<String, String> environment;

    public SettingsLoader(Map<String, String> environment) {
        this.environment = environment;
    }

    /**
     * The defaults: every reference.conf on the class path. Not {@code defaultReference()}, which
     * also takes JVM system properties as settings.
     */
    static Config reference() {
        return ConfigFactory.parseResources(SettingsLoader.class.getClassLoader(), "reference.conf").resolve();
    }

    public Settings load(CommandLine commandLine) throws SettingsException {
        Config merged = merge(commandLine);
        SettingsReader reader = new SettingsReader(merged, commandLine);
        reader.rejectUnknownKeys();

        InetSocketAddress listenAddress = reader.get(Options.ADDR);
        long queueBytes = reader.get(Options.SPOOL_QUEUE_MB) * MIB;
        TcpSettings listen = new TcpSettings(listenAddress.getHostString(), listenAddress.getPort(),
                reader.get(Options.MAX_CONNECTIONS),
                reader.get(Options.IDLE_TIMEOUT),
                tls(reader),
                connectionMemoryBytes(reader, queueBytes));
        Duration maxAge = reader.get(Options.ROTATION_MAX_AGE);
        if (maxAge.compareTo(MIN_MAX_AGE) < 0) {
            throw reader.invalid(Options.ROTATION_MAX_AGE, "a duration of at least 1s, such as 5m");
        }
        long maxMb = reader.get(Options.ROTATION_MAX_MB);
        Settings.SpoolSettings spool = new Settings.SpoolSettings(
                reader.get(Options.DIR),
                reader.get(Options.SPOOL_COMPRESSION_LEVEL),
                reader.get(Options.SPOOL_COMPRESSION_THREADS),
                reader.get(Options.SPOOL_FLUSH_INTERVAL),
                queueBytes,
                new SpoolCap(reader.get(Options.SPOOL_MAX_MB) * MIB));
        Duration retryInitial = reader.get(Options.DELIVERY_RETRY_INITIAL);
        Duration retryMax = reader.get(Options.DELIVERY_RETRY_MAX);
        if (retryMax.compareTo(retryInitial) < 0) {
            throw reader.invalid(Options.DELIVERY_RETRY_MAX, "a duration not shorter than retry-initial (" + GoDuration.format(retryInitial) + ")");
        }
        Settings.DeliverySettings delivery = new Settings.DeliverySettings(
                reader.get(Options.DELIVERY_CONCURRENCY),
                reader.get(Options.DELIVERY_ALERT_AFTER),
                reader.get(Options.SHUTDOWN_TIMEOUT));
        Settings.MonitoringSettings monitoring = new Settings.MonitoringSettings(
                reader.get(Options.MONITORING_ADDR),
                reader.get(Options.MONITORING_READY_MAX_BACKLOG),
                reader.get(Options.MONITORING_STORE_STALE_AFTER));
        Duration statusInterval = reader.get(Options.LOG_STATUS_INTERVAL);
        Settings.LogSettings log = new Settings.LogSettings(
                reader.get(Options.LOG_LEVEL),
                reader.get(Options.LOG_FORMAT),
                statusInterval.isZero() ? Optional.empty() : Optional.of(statusInterval));
        return new Settings(listen, spool, new RotationPolicy(maxAge, maxMb * MIB),
                reader.get(Options.PREFIX), store(reader), delivery,
                RetryTiming.withUploadBackoff(new Backoff(retryInitial, retryMax)), monitoring, log);
    }

    private Config merge(CommandLine commandLine) throws SettingsException {
        Config flags = ConfigFactory.parseMap(commandLine.values(), COMMAND_LINE);
        Map<String, String> fromEnvironment = new HashMap<>();
        for (Option<?> option : Options.ALL) {
            String value = environment.get(option.environmentVariable());
            if (value != null) {
                fromEnvironment.put(option.key(), value);
            }
        }
        Config env = ConfigFactory.parseMap(fromEnvironment, ENVIRONMENT);
        Config file = ConfigFactory.empty();
        if (commandLine.configFile().isPresent()) {
            Path path = commandLine.configFile().get();
            try {
                file = ConfigFactory.parseFile(path.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (ConfigException e) {
                throw new SettingsException("-config " + path + ": " + e.getMessage());
            }
        }
        try {
            return flags.withFallback(env).withFallback(file).withFallback(reference()).resolve();
        } catch (ConfigException e) {
            throw new SettingsException(e.getMessage());
        }
    }

    private static Settings.Store store(SettingsReader reader) throws SettingsException {
        String bucket = reader.get(Options.S3_BUCKET);
        String localStore = reader.get(Options.LOCAL_STORE);
        if (bucket.isEmpty() && localStore.isEmpty()) {
            throw new SettingsException("no object store chosen: give -bucket NAME to upload to S3,"
                    + " or -local-store DIR to write objects to a local directory");
        }
        if (!bucket.isEmpty() && !localStore.isEmpty()) {
            throw new SettingsException("both " + reader.source(Options.S3_BUCKET) + " and "
                    + reader.source(Options.LOCAL_STORE) + " are set: choose one object store");
        }
        if (!localStore.isEmpty()) {
            return new Settings.LocalStore(reader.path(Options.LOCAL_STORE));
        }
        try {
            return new Settings.S3Store(new S3StoreSettings(
                    bucket,
                    reader.get(Options.S3_REGION),
                    reader.get(Options.S3_ENDPOINT),
                    reader.get(Options.S3_PATH_STYLE),
                    reader.get(Options.S3_PROFILE),
                    reader.get(Options.S3_STORAGE_CLASS),
                    reader.get(Options.S3_SSE),
                    reader.get(Options.S3_SSE_KMS_KEY_ID),
                    reader.get(Options.S3_MULTIPART_THRESHOLD),
                    reader.get(Options.S3_PART_SIZE),
                    reader.get(Options.S3_CONTENT_TYPE),
                    reader.get(Options.S3_CONTENT_ENCODING)));
        } catch (IllegalArgumentException e) {
            throw new SettingsException("invalid S3 setting: " + e.getMessage());
        }
    }

    /** 0 derives it from the heap this JVM may use: the flag is needed only to override that. */
    private static long connectionMemoryBytes(SettingsReader reader, long queueBytes) throws SettingsException {
        long minMb = ConnectionMemoryBudget.MIN_CAPACITY_BYTES / MIB;
        long mb = reader.get(Options.CONNECTION_MEMORY_MB);
        if (mb == 0) {
            return ConnectionMemoryBudget.defaultCapacityBytes(Runtime.getRuntime().maxMemory(), queueBytes);
        }
        if (mb < minMb) {
            throw reader.invalid(Options.CONNECTION_MEMORY_MB, "at least " + minMb
                    + " MiB (room for one 4 MiB object while it completes), or 0 for a quarter of the heap less the queue");
        }
        return mb * MIB;
    }

    /** The optional TLS listener: PEM certificate and key, or a PKCS#12 keystore; client CA optional. */
    private static Optional<TlsSettings> tls(SettingsReader reader) throws SettingsException {
        Optional<Path> cert = reader.get(Options.TLS_CERT);
        Optional<Path> key = reader.get(Options.TLS_KEY);
        Optional<Path> keystore = reader.get(Options.TLS_KEYSTORE);
        Optional<Path> clientCa = reader.get(Options.TLS_CLIENT_CA);
        Optional<TlsSettings.Password> keyPassword = reader.get(Options.TLS_KEY_PASSWORD).map(TlsSettings.Password::new);
        Optional<TlsSettings.Password> keystorePassword =
                reader.get(Options.TLS_KEYSTORE_PASSWORD).map(TlsSettings.Password::new);
        if (keystore.isPresent() && (cert.isPresent() || key.isPresent())) {
            throw reader.conflict(Options.TLS_KEYSTORE, Options.TLS_CERT, "give either a PKCS#12 keystore or a PEM certificate and key");
        }
        if (keystore.isPresent()) {
            if (keystorePassword.isEmpty()) {
                throw reader.missing(Options.TLS_KEYSTORE_PASSWORD, "the password of the PKCS#12 keystore");
            }
            return Optional.of(new TlsSettings(new TlsSettings.Pkcs12Keystore(keystore.get(), keystorePassword.get()), clientCa));
        }
        if (cert.isPresent() != key.isPresent()) {
            throw reader.missing(cert.isPresent() ? Options.TLS_KEY : Options.TLS_CERT,
                    "a PEM file: TLS with PEM files needs both the certificate chain and the PKCS#8 private key");
        }
        if (cert.isPresent()) {
            return Optional.of(new TlsSettings(new TlsSettings.PemFiles(cert.get(), key.get(), keyPassword), clientCa));
        }
        if (clientCa.isPresent()) {
            throw reader.missing(Options.TLS_CERT, "a PEM certificate and key (or -tls-keystore): -tls-client-ca needs TLS");
        }
        return Optional.empty();
    }
}
