package io.s3logger.bootstrap;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import io.s3logger.adapter.s3.S3StoreSettings;
import io.s3logger.adapter.tcp.ConnectionMemoryBudget;
import io.s3logger.adapter.tcp.TcpSettings;
import io.s3logger.adapter.tcp.TlsSettings;
import io.s3logger.domain.model.RotationPolicy;
import io.s3logger.domain.model.SpoolCap;
import io.s3logger.domain.service.Backoff;
import io.s3logger.domain.service.RetryTiming;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.event.Level;

/**
 * Reads the settings once, from command-line flags, environment, {@code -config} file and
 * reference.conf (in that order of precedence), and validates every value. Each problem becomes
 * a {@link SettingsException} naming the flag, variable or key, the value and the accepted form.
 */
public final class SettingsLoader {

    static final Duration MIN_MAX_AGE = Duration.ofSeconds(1);
    private static final String COMMAND_LINE = "command line";
    private static final String ENVIRONMENT = "environment";
    private static final long MIB = 1024L * 1024;

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
        Reader reader = new Reader(merged, commandLine);
        reader.rejectUnknownKeys();

        InetSocketAddress listenAddress = reader.hostPort(Options.ADDR);
        long queueBytes = reader.intInRange(Options.SPOOL_QUEUE_MB, 1, 65_536, "a whole number of MiB from 1 to 65536") * MIB;
        TcpSettings listen = new TcpSettings(listenAddress.getHostString(), listenAddress.getPort(),
                (int) reader.intInRange(Options.MAX_CONNECTIONS, 0, Integer.MAX_VALUE, "a whole number, 0 for no limit"),
                reader.optionalDuration(Options.IDLE_TIMEOUT),
                tls(reader),
                connectionMemoryBytes(reader, queueBytes));
        Duration maxAge = reader.duration(Options.ROTATION_MAX_AGE);
        if (maxAge.compareTo(MIN_MAX_AGE) < 0) {
            throw reader.invalid(Options.ROTATION_MAX_AGE, "a duration of at least 1s, such as 5m");
        }
        long maxMb = reader.intInRange(Options.ROTATION_MAX_MB, 0, Integer.MAX_VALUE, "a whole number of MiB, 0 to disable");
        Settings.SpoolSettings spool = new Settings.SpoolSettings(
                reader.path(Options.DIR),
                (int) reader.intInRange(Options.SPOOL_COMPRESSION_LEVEL, 1, 9, "a gzip level from 1 to 9"),
                (int) reader.intInRange(Options.SPOOL_COMPRESSION_THREADS, 0, 256,
                        "a whole number of threads from 1 to 256, or 0 for one per processor"),
                reader.positiveDuration(Options.SPOOL_FLUSH_INTERVAL),
                queueBytes,
                new SpoolCap(reader.intInRange(Options.SPOOL_MAX_MB, 0, Integer.MAX_VALUE, "a whole number of MiB, 0 for no cap") * MIB));
        Duration retryInitial = reader.positiveDuration(Options.DELIVERY_RETRY_INITIAL);
        Duration retryMax = reader.positiveDuration(Options.DELIVERY_RETRY_MAX);
        if (retryMax.compareTo(retryInitial) < 0) {
            throw reader.invalid(Options.DELIVERY_RETRY_MAX, "a duration not shorter than retry-initial (" + GoDuration.format(retryInitial) + ")");
        }
        Settings.DeliverySettings delivery = new Settings.DeliverySettings(
                (int) reader.intInRange(Options.DELIVERY_CONCURRENCY, 1, 64, "a whole number from 1 to 64"),
                reader.positiveDuration(Options.DELIVERY_ALERT_AFTER),
                reader.duration(Options.SHUTDOWN_TIMEOUT));
        Settings.MonitoringSettings monitoring = new Settings.MonitoringSettings(
                reader.optionalString(Options.MONITORING_ADDR).isEmpty()
                        ? Optional.empty() : Optional.of(reader.hostPort(Options.MONITORING_ADDR)),
                (int) reader.intInRange(Options.MONITORING_READY_MAX_BACKLOG, 0, Integer.MAX_VALUE, "a whole number of segments, 0 for no limit"),
                reader.positiveDuration(Options.MONITORING_STORE_STALE_AFTER));
        Duration statusInterval = reader.duration(Options.LOG_STATUS_INTERVAL);
        Settings.LogSettings log = new Settings.LogSettings(
                reader.choice(Options.LOG_LEVEL, Level.class),
                reader.choice(Options.LOG_FORMAT, Settings.LogFormat.class),
                statusInterval.isZero() ? Optional.empty() : Optional.of(statusInterval));
        return new Settings(listen, spool, new RotationPolicy(maxAge, maxMb * MIB),
                reader.string(Options.PREFIX), store(reader), delivery,
                RetryTiming.withUploadBackoff(new Backoff(retryInitial, retryMax)), monitoring, log);
    }

    private Config merge(CommandLine commandLine) throws SettingsException {
        Config flags = ConfigFactory.parseMap(commandLine.values(), COMMAND_LINE);
        Map<String, String> fromEnvironment = new HashMap<>();
        for (Option option : Options.ALL) {
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

    private static Settings.Store store(Reader reader) throws SettingsException {
        String bucket = reader.string(Options.S3_BUCKET);
        String localStore = reader.string(Options.LOCAL_STORE);
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
                    reader.optionalString(Options.S3_REGION),
                    reader.endpoint(Options.S3_ENDPOINT),
                    reader.autoBoolean(Options.S3_PATH_STYLE),
                    reader.optionalString(Options.S3_PROFILE),
                    reader.optionalString(Options.S3_STORAGE_CLASS),
                    reader.optionalString(Options.S3_SSE),
                    reader.optionalString(Options.S3_SSE_KMS_KEY_ID),
                    reader.bytes(Options.S3_MULTIPART_THRESHOLD),
                    reader.bytes(Options.S3_PART_SIZE),
                    reader.string(Options.S3_CONTENT_TYPE),
                    reader.optionalString(Options.S3_CONTENT_ENCODING)));
        } catch (IllegalArgumentException e) {
            throw new SettingsException("invalid S3 setting: " + e.getMessage());
        }
    }

    /** 0 derives it from the heap this JVM may use: the flag is needed only to override that. */
    private static long connectionMemoryBytes(Reader reader, long queueBytes) throws SettingsException {
        long minMb = ConnectionMemoryBudget.MIN_CAPACITY_BYTES / MIB;
        long mb = reader.intInRange(Options.CONNECTION_MEMORY_MB, 0, 1_048_576,
                "a whole number of MiB from " + minMb + " to 1048576, or 0 for a quarter of the heap less the queue");
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
    private static Optional<TlsSettings> tls(Reader reader) throws SettingsException {
        Optional<Path> cert = reader.optionalPath(Options.TLS_CERT);
        Optional<Path> key = reader.optionalPath(Options.TLS_KEY);
        Optional<Path> keystore = reader.optionalPath(Options.TLS_KEYSTORE);
        Optional<Path> clientCa = reader.optionalPath(Options.TLS_CLIENT_CA);
        Optional<TlsSettings.Password> keyPassword = reader.optionalString(Options.TLS_KEY_PASSWORD).map(TlsSettings.Password::new);
        Optional<TlsSettings.Password> keystorePassword =
                reader.optionalString(Options.TLS_KEYSTORE_PASSWORD).map(TlsSettings.Password::new);
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

    /** Typed access to the merged config that names the value's source on error. */
    private static final class Reader {
        private final Config config;
        private final CommandLine commandLine;

        Reader(Config config, CommandLine commandLine) {
            this.config = config;
            this.commandLine = commandLine;
        }

        void rejectUnknownKeys() throws SettingsException {
            Set<String> unknown = new TreeSet<>();
            for (Map.Entry<String, ConfigValue> entry : config.getConfig("s3logger").entrySet()) {
                String key = "s3logger." + entry.getKey();
                if (Options.byKey(key).isEmpty()) {
                    unknown.add(key + " (" + entry.getValue().origin().description() + ")");
                }
            }
            if (!unknown.isEmpty()) {
                throw new SettingsException("unknown setting " + String.join(", ", unknown)
                        + "; see -h or docs/configuration.md for the accepted keys");
            }
        }

        String string(Option option) throws SettingsException {
            try {
                return config.getString(option.key()).strip();
            } catch (ConfigException e) {
                throw invalid(option, "a string");
            }
        }

        /** An optional file (the TLS files). */
        Optional<Path> optionalPath(Option option) throws SettingsException {
            return optionalString(option).isEmpty() ? Optional.empty() : Optional.of(path(option, "a file path"));
        }

        /** Off when empty or zero. */
        Optional<Duration> optionalDuration(Option option) throws SettingsException {
            if (string(option).isEmpty()) {
                return Optional.empty();
            }
            Duration value = duration(option);
            return value.isZero() ? Optional.empty() : Optional.of(value);
        }

        SettingsException missing(Option option, String form) {
            String name = "-" + option.flag() + " (" + option.key() + ")";
            return new SettingsException("missing value for " + name + ": expected " + form);
        }

        SettingsException conflict(Option option, Option other, String advice) {
            return new SettingsException(source(option) + " and " + source(other) + " are both set: " + advice);
        }

        Optional<String> optionalString(Option option) throws SettingsException {
            String value = string(option);
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        }

        /** A directory (the spool, the local store). */
        Path path(Option option) throws SettingsException {
            return path(option, "a directory path");
        }

        private Path path(Option option, String form) throws SettingsException {
            String value = string(option);
            if (value.isEmpty()) {
                throw invalid(option, form);
            }
            try {
                return Path.of(value);
            } catch (RuntimeException e) {
                throw invalid(option, form);
            }
        }

        Duration duration(Option option) throws SettingsException {
            String form = GoDuration.FORM;
            try {
                return GoDuration.parse(string(option));
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw invalid(option, form);
            }
        }

        Duration positiveDuration(Option option) throws SettingsException {
            Duration value = duration(option);
            if (value.isZero()) {
                throw invalid(option, GoDuration.FORM.replaceFirst("^a ", "a positive "));
            }
            return value;
        }

        long intInRange(Option option, long min, long max, String form) throws SettingsException {
            long value;
            try {
                value = Long.parseLong(string(option));
            } catch (NumberFormatException e) {
                throw invalid(option, form);
            }
            if (value < min || value > max) {
                throw invalid(option, form);
            }
            return value;
        }

        long bytes(Option option) throws SettingsException {
            try {
                return config.getBytes(option.key());
            } catch (ConfigException e) {
                throw invalid(option, "a size with a unit, such as 16MiB or 1GiB");
            }
        }

        Optional<Boolean> autoBoolean(Option option) throws SettingsException {
            return switch (string(option)) {
                case "auto", "" -> Optional.empty();
                case "true" -> Optional.of(true);
                case "false" -> Optional.of(false);
                default -> throw invalid(option, "auto, true or false");
            };
        }

        Optional<URI> endpoint(Option option) throws SettingsException {
            Optional<String> value = optionalString(option);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(new URI(value.get()));
            } catch (URISyntaxException e) {
                throw invalid(option, "an http(s) URL such as http://localhost:9000");
            }
        }


        /** {@code host:port} as an unresolved address; an empty host means every interface. */
        InetSocketAddress hostPort(Option option) throws SettingsException {
            String value = string(option);
            String form = "host:port, such as localhost:8080, 0.0.0.0:8080, [::1]:8080 or :8080";
            int colon = value.lastIndexOf(':');
            if (colon < 0) {
                throw invalid(option, form);
            }
            String host = value.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (host.isEmpty()) {
                host = "0.0.0.0";
            }
            if (host.isBlank() || !host.strip().equals(host)) {
                throw invalid(option, form);
            }
            try {
                return InetSocketAddress.createUnresolved(host, Integer.parseInt(value.substring(colon + 1)));
            } catch (IllegalArgumentException e) {
                throw invalid(option, form);
            }
        }

        /** One of an enum's constants, by name in any case. */
        <E extends Enum<E>> E choice(Option option, Class<E> type) throws SettingsException {
            String value = string(option);
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(value)) {
                    return constant;
                }
            }
            throw invalid(option, "one of " + String.join(", ", Arrays.stream(type.getEnumConstants())
                    .map(constant -> constant.name().toLowerCase(Locale.ROOT)).toList()));
        }

        /** {@code -t} from the command line, {@code S3LOGGER_X} from the environment, or the key and its file. */
        String source(Option option) {
            String flag = commandLine.flagsByKey().get(option.key());
            if (flag != null) {
                return flag;
            }
            String description = config.hasPath(option.key()) ? config.getValue(option.key()).origin().description() : "";
            if (description.startsWith(ENVIRONMENT)) {
                return option.environmentVariable();
            }
            return option.key() + " (" + description + ")";
        }

        /**
         * Built here, never from a {@link ConfigException}'s message, which shows the value: a
         * secret's value (of any type: a list, an object, a number) is not shown.
         */
        SettingsException invalid(Option option, String form) {
            if (option.secret()) {
                return new SettingsException("invalid value (not shown: a secret) for " + source(option) + ": expected " + form);
            }
            String value = config.hasPath(option.key()) ? config.getValue(option.key()).unwrapped().toString() : "";
            return new SettingsException("invalid value \"" + value + "\" for " + source(option) + ": expected " + form);
        }
    }
}
