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

        InetSocketAddress listenAddress = reader.hostPort("s3logger.addr");
        long queueBytes = reader.intInRange("s3logger.spool.queue-mb", 1, 65_536, "a whole number of MiB from 1 to 65536") * MIB;
        TcpSettings listen = new TcpSettings(listenAddress.getHostString(), listenAddress.getPort(),
                (int) reader.intInRange("s3logger.max-connections", 0, Integer.MAX_VALUE, "a whole number, 0 for no limit"),
                reader.optionalDuration("s3logger.idle-timeout"),
                tls(reader),
                connectionMemoryBytes(reader, queueBytes));
        Duration maxAge = reader.duration("s3logger.rotation.max-age");
        if (maxAge.compareTo(MIN_MAX_AGE) < 0) {
            throw reader.invalid("s3logger.rotation.max-age", "a duration of at least 1s, such as 5m");
        }
        long maxMb = reader.intInRange("s3logger.rotation.max-mb", 0, Integer.MAX_VALUE, "a whole number of MiB, 0 to disable");
        Settings.SpoolSettings spool = new Settings.SpoolSettings(
                reader.path("s3logger.dir"),
                (int) reader.intInRange("s3logger.spool.compression-level", 1, 9, "a gzip level from 1 to 9"),
                (int) reader.intInRange("s3logger.spool.compression-threads", 0, 256,
                        "a whole number of threads from 1 to 256, or 0 for one per processor"),
                reader.positiveDuration("s3logger.spool.flush-interval"),
                queueBytes,
                new SpoolCap(reader.intInRange("s3logger.spool.max-mb", 0, Integer.MAX_VALUE, "a whole number of MiB, 0 for no cap") * MIB));
        Duration retryInitial = reader.positiveDuration("s3logger.delivery.retry-initial");
        Duration retryMax = reader.positiveDuration("s3logger.delivery.retry-max");
        if (retryMax.compareTo(retryInitial) < 0) {
            throw reader.invalid("s3logger.delivery.retry-max", "a duration not shorter than retry-initial (" + GoDuration.format(retryInitial) + ")");
        }
        Settings.DeliverySettings delivery = new Settings.DeliverySettings(
                (int) reader.intInRange("s3logger.delivery.concurrency", 1, 64, "a whole number from 1 to 64"),
                reader.positiveDuration("s3logger.delivery.alert-after"),
                reader.duration("s3logger.shutdown-timeout"));
        Settings.MonitoringSettings monitoring = new Settings.MonitoringSettings(
                reader.optionalString("s3logger.monitoring.addr").isEmpty()
                        ? Optional.empty() : Optional.of(reader.hostPort("s3logger.monitoring.addr")),
                (int) reader.intInRange("s3logger.monitoring.ready-max-backlog", 0, Integer.MAX_VALUE, "a whole number of segments, 0 for no limit"),
                reader.positiveDuration("s3logger.monitoring.store-stale-after"));
        Duration statusInterval = reader.duration("s3logger.log.status-interval");
        Settings.LogSettings log = new Settings.LogSettings(
                reader.choice("s3logger.log.level", Level.class),
                reader.choice("s3logger.log.format", Settings.LogFormat.class),
                statusInterval.isZero() ? Optional.empty() : Optional.of(statusInterval));
        return new Settings(listen, spool, new RotationPolicy(maxAge, maxMb * MIB),
                reader.string("s3logger.prefix"), store(reader), delivery,
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
        String bucket = reader.string("s3logger.s3.bucket");
        String localStore = reader.string("s3logger.local-store");
        if (bucket.isEmpty() && localStore.isEmpty()) {
            throw new SettingsException("no object store chosen: give -bucket NAME to upload to S3,"
                    + " or -local-store DIR to write objects to a local directory");
        }
        if (!bucket.isEmpty() && !localStore.isEmpty()) {
            throw new SettingsException("both " + reader.source("s3logger.s3.bucket") + " and "
                    + reader.source("s3logger.local-store") + " are set: choose one object store");
        }
        if (!localStore.isEmpty()) {
            return new Settings.LocalStore(reader.path("s3logger.local-store"));
        }
        try {
            return new Settings.S3Store(new S3StoreSettings(
                    bucket,
                    reader.optionalString("s3logger.s3.region"),
                    reader.endpoint("s3logger.s3.endpoint"),
                    reader.autoBoolean("s3logger.s3.path-style"),
                    reader.optionalString("s3logger.s3.profile"),
                    reader.optionalString("s3logger.s3.storage-class"),
                    reader.optionalString("s3logger.s3.sse"),
                    reader.optionalString("s3logger.s3.sse-kms-key-id"),
                    reader.bytes("s3logger.s3.multipart-threshold"),
                    reader.bytes("s3logger.s3.part-size"),
                    reader.string("s3logger.s3.content-type"),
                    reader.optionalString("s3logger.s3.content-encoding")));
        } catch (IllegalArgumentException e) {
            throw new SettingsException("invalid S3 setting: " + e.getMessage());
        }
    }

    /** 0 derives it from the heap this JVM may use: the flag is needed only to override that. */
    private static long connectionMemoryBytes(Reader reader, long queueBytes) throws SettingsException {
        long minMb = ConnectionMemoryBudget.MIN_CAPACITY_BYTES / MIB;
        long mb = reader.intInRange("s3logger.connection-memory-mb", 0, 1_048_576,
                "a whole number of MiB from " + minMb + " to 1048576, or 0 for a quarter of the heap less the queue");
        if (mb == 0) {
            return ConnectionMemoryBudget.defaultCapacityBytes(Runtime.getRuntime().maxMemory(), queueBytes);
        }
        if (mb < minMb) {
            throw reader.invalid("s3logger.connection-memory-mb", "at least " + minMb
                    + " MiB (room for one 4 MiB object while it completes), or 0 for a quarter of the heap less the queue");
        }
        return mb * MIB;
    }

    /** The optional TLS listener: PEM certificate and key, or a PKCS#12 keystore; client CA optional. */
    private static Optional<TlsSettings> tls(Reader reader) throws SettingsException {
        Optional<Path> cert = reader.optionalPath("s3logger.tls.cert");
        Optional<Path> key = reader.optionalPath("s3logger.tls.key");
        Optional<Path> keystore = reader.optionalPath("s3logger.tls.keystore");
        Optional<Path> clientCa = reader.optionalPath("s3logger.tls.client-ca");
        Optional<TlsSettings.Password> keyPassword = reader.optionalString("s3logger.tls.key-password").map(TlsSettings.Password::new);
        Optional<TlsSettings.Password> keystorePassword =
                reader.optionalString("s3logger.tls.keystore-password").map(TlsSettings.Password::new);
        if (keystore.isPresent() && (cert.isPresent() || key.isPresent())) {
            throw reader.conflict("s3logger.tls.keystore", "s3logger.tls.cert", "give either a PKCS#12 keystore or a PEM certificate and key");
        }
        if (keystore.isPresent()) {
            if (keystorePassword.isEmpty()) {
                throw reader.missing("s3logger.tls.keystore-password", "the password of the PKCS#12 keystore");
            }
            return Optional.of(new TlsSettings(new TlsSettings.Pkcs12Keystore(keystore.get(), keystorePassword.get()), clientCa));
        }
        if (cert.isPresent() != key.isPresent()) {
            throw reader.missing(cert.isPresent() ? "s3logger.tls.key" : "s3logger.tls.cert",
                    "a PEM file: TLS with PEM files needs both the certificate chain and the PKCS#8 private key");
        }
        if (cert.isPresent()) {
            return Optional.of(new TlsSettings(new TlsSettings.PemFiles(cert.get(), key.get(), keyPassword), clientCa));
        }
        if (clientCa.isPresent()) {
            throw reader.missing("s3logger.tls.cert", "a PEM certificate and key (or -tls-keystore): -tls-client-ca needs TLS");
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

        String string(String key) throws SettingsException {
            try {
                return config.getString(key).strip();
            } catch (ConfigException e) {
                throw invalid(key, "a string");
            }
        }

        /** An optional file (the TLS files). */
        Optional<Path> optionalPath(String key) throws SettingsException {
            return optionalString(key).isEmpty() ? Optional.empty() : Optional.of(path(key, "a file path"));
        }

        /** Off when empty or zero. */
        Optional<Duration> optionalDuration(String key) throws SettingsException {
            if (string(key).isEmpty()) {
                return Optional.empty();
            }
            Duration value = duration(key);
            return value.isZero() ? Optional.empty() : Optional.of(value);
        }

        SettingsException missing(String key, String form) {
            String name = Options.byKey(key).map(option -> "-" + option.flag() + " (" + key + ")").orElse(key);
            return new SettingsException("missing value for " + name + ": expected " + form);
        }

        SettingsException conflict(String key, String other, String advice) {
            return new SettingsException(source(key) + " and " + source(other) + " are both set: " + advice);
        }

        Optional<String> optionalString(String key) throws SettingsException {
            String value = string(key);
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        }

        /** A directory (the spool, the local store). */
        Path path(String key) throws SettingsException {
            return path(key, "a directory path");
        }

        private Path path(String key, String form) throws SettingsException {
            String value = string(key);
            if (value.isEmpty()) {
                throw invalid(key, form);
            }
            try {
                return Path.of(value);
            } catch (RuntimeException e) {
                throw invalid(key, form);
            }
        }

        Duration duration(String key) throws SettingsException {
            String form = GoDuration.FORM;
            try {
                return GoDuration.parse(string(key));
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw invalid(key, form);
            }
        }

        Duration positiveDuration(String key) throws SettingsException {
            Duration value = duration(key);
            if (value.isZero()) {
                throw invalid(key, GoDuration.FORM.replaceFirst("^a ", "a positive "));
            }
            return value;
        }

        long intInRange(String key, long min, long max, String form) throws SettingsException {
            long value;
            try {
                value = Long.parseLong(string(key));
            } catch (NumberFormatException e) {
                throw invalid(key, form);
            }
            if (value < min || value > max) {
                throw invalid(key, form);
            }
            return value;
        }

        long bytes(String key) throws SettingsException {
            try {
                return config.getBytes(key);
            } catch (ConfigException e) {
                throw invalid(key, "a size with a unit, such as 16MiB or 1GiB");
            }
        }

        Optional<Boolean> autoBoolean(String key) throws SettingsException {
            return switch (string(key)) {
                case "auto", "" -> Optional.empty();
                case "true" -> Optional.of(true);
                case "false" -> Optional.of(false);
                default -> throw invalid(key, "auto, true or false");
            };
        }

        Optional<URI> endpoint(String key) throws SettingsException {
            Optional<String> value = optionalString(key);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(new URI(value.get()));
            } catch (URISyntaxException e) {
                throw invalid(key, "an http(s) URL such as http://localhost:9000");
            }
        }


        /** {@code host:port} as an unresolved address; an empty host means every interface. */
        InetSocketAddress hostPort(String key) throws SettingsException {
            String value = string(key);
            String form = "host:port, such as localhost:8080, 0.0.0.0:8080, [::1]:8080 or :8080";
            int colon = value.lastIndexOf(':');
            if (colon < 0) {
                throw invalid(key, form);
            }
            String host = value.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (host.isEmpty()) {
                host = "0.0.0.0";
            }
            if (host.isBlank() || !host.strip().equals(host)) {
                throw invalid(key, form);
            }
            try {
                return InetSocketAddress.createUnresolved(host, Integer.parseInt(value.substring(colon + 1)));
            } catch (IllegalArgumentException e) {
                throw invalid(key, form);
            }
        }

        /** One of an enum's constants, by name in any case. */
        <E extends Enum<E>> E choice(String key, Class<E> type) throws SettingsException {
            String value = string(key);
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(value)) {
                    return constant;
                }
            }
            throw invalid(key, "one of " + String.join(", ", Arrays.stream(type.getEnumConstants())
                    .map(constant -> constant.name().toLowerCase(Locale.ROOT)).toList()));
        }

        /** {@code -t} from the command line, {@code S3LOGGER_X} from the environment, or the key and its file. */
        String source(String key) {
            String flag = commandLine.flagsByKey().get(key);
            if (flag != null) {
                return flag;
            }
            String description = config.hasPath(key) ? config.getValue(key).origin().description() : "";
            if (description.startsWith(ENVIRONMENT)) {
                return Options.byKey(key).map(Option::environmentVariable).orElse(key);
            }
            return key + " (" + description + ")";
        }

        /**
         * Built here, never from a {@link ConfigException}'s message, which shows the value: a
         * secret's value (of any type: a list, an object, a number) is not shown.
         */
        SettingsException invalid(String key, String form) {
            if (Options.byKey(key).map(Option::isSecret).orElse(false)) {
                return new SettingsException("invalid value (not shown: a secret) for " + source(key) + ": expected " + form);
            }
            String value = config.hasPath(key) ? config.getValue(key).unwrapped().toString() : "";
            return new SettingsException("invalid value \"" + value + "\" for " + source(key) + ": expected " + form);
        }
    }
}
