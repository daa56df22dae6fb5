package io.s3logger.bootstrap;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed access to the merged settings for the {@link Option.Parser}s that the declarations in
 * {@link Options} name; every error names the value's source (flag, variable or key and file).
 */
final class SettingsReader {
    private final Config config;
    private final CommandLine commandLine;

    SettingsReader(Config config, CommandLine commandLine) {
        this.config = config;
        this.commandLine = commandLine;
    }

    /** The setting's value, read and checked by the parser its declaration names. */
    <T> T get(Option<T> option) throws SettingsException {
        return option.parser().read(this, option);
    }

    /** A whole number from {@code min} to {@code max}; {@code form} says so in the error. */
    static Option.Parser<Integer> ints(int min, int max, String form) {
        return (reader, option) -> Math.toIntExact(reader.intInRange(option, min, max, form));
    }

    /** One of an enum's constants, by name in any case. */
    static <E extends Enum<E>> Option.Parser<E> choice(Class<E> type) {
        return (reader, option) -> reader.choice(option, type);
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

    String string(Option<?> option) throws SettingsException {
        try {
            return config.getString(option.key()).strip();
        } catch (ConfigException e) {
            throw invalid(option, "a string");
        }
    }

    /** An optional file (the TLS files). */
    Optional<Path> optionalPath(Option<?> option) throws SettingsException {
        return optionalString(option).isEmpty() ? Optional.empty() : Optional.of(path(option, "a file path"));
    }

    /** Off when empty or zero. */
    Optional<Duration> optionalDuration(Option<?> option) throws SettingsException {
        if (string(option).isEmpty()) {
            return Optional.empty();
        }
        Duration value = duration(option);
        return value.isZero() ? Optional.empty() : Optional.of(value);
    }

    SettingsException missing(Option<?> option, String form) {
        String name = "-" + option.flag() + " (" + option.key() + ")";
        return new SettingsException("missing value for " + name + ": expected " + form);
    }

    SettingsException conflict(Option<?> option, Option<?> other, String advice) {
        return new SettingsException(source(option) + " and " + source(other) + " are both set: " + advice);
    }

    Optional<String> optionalString(Option<?> option) throws SettingsException {
        String value = string(option);
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** An optional {@code host:port}: empty means none. */
    Optional<InetSocketAddress> optionalHostPort(Option<?> option) throws SettingsException {
        return optionalString(option).isEmpty() ? Optional.empty() : Optional.of(hostPort(option));
    }

    /** A directory (the spool, the local store). */
    Path path(Option<?> option) throws SettingsException {
        return path(option, "a directory path");
    }

    private Path path(Option<?> option, String form) throws SettingsException {
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

    Duration duration(Option<?> option) throws SettingsException {
        String form = GoDuration.FORM;
        try {
            return GoDuration.parse(string(option));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw invalid(option, form);
        }
    }

    Duration positiveDuration(Option<?> option) throws SettingsException {
        Duration value = duration(option);
        if (value.isZero()) {
            throw invalid(option, GoDuration.FORM.replaceFirst("^a ", "a positive "));
        }
        return value;
    }

    long intInRange(Option<?> option, long min, long max, String form) throws SettingsException {
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

    long bytes(Option<?> option) throws SettingsException {
        try {
            return config.getBytes(option.key());
        } catch (ConfigException e) {
            throw invalid(option, "a size with a unit, such as 16MiB or 1GiB");
        }
    }

    Optional<Boolean> autoBoolean(Option<?> option) throws SettingsException {
        return switch (string(option)) {
            case "auto", "" -> Optional.empty();
            case "true" -> Optional.of(true);
            case "false" -> Optional.of(false);
            default -> throw invalid(option, "auto, true or false");
        };
    }

    Optional<URI> endpoint(Option<?> option) throws SettingsException {
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
    InetSocketAddress hostPort(Option<?> option) throws SettingsException {
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
    <E extends Enum<E>> E choice(Option<?> option, Class<E> type) throws SettingsException {
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
    String source(Option<?> option) {
        String flag = commandLine.flagsByKey().get(option.key());
        if (flag != null) {
            return flag;
        }
        String description = config.hasPath(option.key()) ? config.getValue(option.key()).origin().description() : "";
        if (description.startsWith(SettingsLoader.ENVIRONMENT)) {
            return option.environmentVariable();
        }
        return option.key() + " (" + description + ")";
    }

    /**
     * Built here, never from a {@link ConfigException}'s message, which shows the value: a
     * secret's value (of any type: a list, an object, a number) is not shown.
     */
    SettingsException invalid(Option<?> option, String form) {
        if (option.secret()) {
            return new SettingsException("invalid value (not shown: a secret) for " + source(option) + ": expected " + form);
        }
        String value = config.hasPath(option.key()) ? config.getValue(option.key()).unwrapped().toString() : "";
        return new SettingsException("invalid value \"" + value + "\" for " + source(option) + ": expected " + form);
    }
}
