package io.s3logger.bootstrap;

import java.util.Optional;

/**
 * One setting, declared once: a command-line flag, a HOCON key, an environment variable derived
 * from the key, and the parser that reads and checks its value. Its default is in reference.conf.
 *
 * <p>Every flag takes a value, after a space or after {@code =}. A flag with a {@code
 * valueWhenAlone} may also stand alone (the next argument then being another flag or nothing), as
 * Go's boolean flags do; a value after a space is still taken, so {@code -path-style false} works.
 *
 * @param flag the flag name without dashes, as in the original program ({@code t}, {@code mb})
 * @param key the HOCON path
 * @param valueName how usage names the value ({@code duration}, {@code dir}, ...)
 * @param help one line saying what it does
 * @param valueWhenAlone the value the flag means when given without one, if it may be
 * @param secret whether the value is a secret, never shown in an error
 * @param parser reads the value and names the accepted form when it is invalid
 * @param <T> the type of the value
 */
record Option<T>(String flag, String key, String valueName, String help, Optional<String> valueWhenAlone, boolean secret,
        Parser<T> parser) {

    private static final String ROOT = "s3logger.";

    /** Reads one setting's value from the merged settings. */
    @FunctionalInterface
    interface Parser<T> {
        T read(SettingsReader reader, Option<T> option) throws SettingsException;
    }

    Option {
        if (!key.startsWith(ROOT)) {
            throw new IllegalArgumentException("key outside " + ROOT + ": " + key);
        }
    }

    /** A flag that always takes a value. */
    Option(String flag, String key, String valueName, String help, Parser<T> parser) {
        this(flag, key, valueName, help, Optional.empty(), false, parser);
    }

    /** A flag whose value (a password) is never shown in an error. */
    static <T> Option<T> secret(String flag, String key, String valueName, String help, Parser<T> parser) {
        return new Option<>(flag, key, valueName, help, Optional.empty(), true, parser);
    }

    /** A flag that may also stand alone, meaning {@code valueWhenAlone}. */
    static <T> Option<T> mayStandAlone(String flag, String key, String valueName, String help, String valueWhenAlone,
            Parser<T> parser) {
        return new Option<>(flag, key, valueName, help, Optional.of(valueWhenAlone), false, parser);
    }

    /** {@code S3LOGGER_ROTATION_MAX_AGE} for {@code s3logger.rotation.max-age}. */
    String environmentVariable() {
        return "S3LOGGER_" + key.substring(ROOT.length()).toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
