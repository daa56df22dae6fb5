package io.s3logger.bootstrap;

/**
 * One setting as the user sees it: a command-line flag, a HOCON key and an environment variable.
 *
 * @param flag the flag name without dashes, as in the original program ({@code t}, {@code mb})
 * @param key the HOCON path
 * @param valueName how usage names the value ({@code duration}, {@code dir}, ...); one that offers
 *     {@code true|false} makes a flag that may stand alone, meaning true, as Go's boolean flags
 * @param help one line saying what it does
 */
record Option(String flag, String key, String valueName, String help) {

    private static final String ROOT = "s3logger.";

    Option {
        if (!key.startsWith(ROOT)) {
            throw new IllegalArgumentException("key outside " + ROOT + ": " + key);
        }
    }

    /** {@code S3LOGGER_ROTATION_MAX_AGE} for {@code s3logger.rotation.max-age}. */
    String environmentVariable() {
        return "S3LOGGER_" + key.substring(ROOT.length()).toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    boolean isBoolean() {
        return valueName.contains("true|false");
    }

    /** A password: its value is never shown in an error. */
    boolean isSecret() {
        return valueName.equals("password");
    }
}
