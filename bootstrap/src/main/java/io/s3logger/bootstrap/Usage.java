package io.s3logger.bootstrap;

import com.typesafe.config.Config;

/** The {@code -h} text: every flag with its value, meaning, default, HOCON key and environment variable. */
final class Usage {

    private Usage() {}

    static String text(Config reference) {
        StringBuilder text = new StringBuilder();
        text.append("Usage of s3logger:\n")
                .append("  s3logger [flags]    flags take one or two dashes: -t 5m, --t=5m\n\n")
                .append("  -config file\n")
                .append("        HOCON file with settings (precedence: flags > environment > file > defaults)\n")
                .append("  ").append(Options.HELP_TEXT).append('\n')
                .append("  ").append(Options.VERSION_TEXT).append('\n');
        for (Option<?> option : Options.ALL) {
            text.append("  -").append(option.flag()).append(' ').append(option.valueName()).append('\n')
                    .append("        ").append(option.help());
            String defaultValue = reference.getString(option.key());
            if (!defaultValue.isEmpty()) {
                text.append(" (default \"").append(defaultValue).append("\")");
            }
            text.append("\n        key ").append(option.key()).append(", env ").append(option.environmentVariable()).append('\n');
        }
        return text.toString();
    }
}
