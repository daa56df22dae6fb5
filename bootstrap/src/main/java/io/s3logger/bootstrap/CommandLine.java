package io.s3logger.bootstrap;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parsed command line. Flags follow Go's {@code flag} package, so the original's users can
 * keep their command lines: {@code -flag value}, {@code -flag=value}, one or two dashes, and
 * parsing stops at {@code --}. A flag that may stand alone ({@link Option#valueWhenAlone()}) takes
 * the next argument as its value unless that is another flag or there is none.
 *
 * @param values HOCON key to value, as typed
 * @param flagsByKey which flag set each key, for error messages
 * @param configFile the {@code -config} file, if any
 * @param help whether {@code -h}/{@code -help} was given
 * @param version whether {@code -version} was given
 */
public record CommandLine(Map<String, String> values, Map<String, String> flagsByKey, Optional<Path> configFile, boolean help,
        boolean version) {

    public static CommandLine parse(List<String> args) throws SettingsException {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> flags = new LinkedHashMap<>();
        Optional<Path> configFile = Optional.empty();
        boolean help = false;
        boolean version = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                if (i + 1 < args.size()) {
                    throw new SettingsException("unexpected argument \"" + args.get(i + 1) + "\"; s3logger takes flags only (see -h)");
                }
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                throw new SettingsException("unexpected argument \"" + arg + "\"; s3logger takes flags only (see -h)");
            }
            String body = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
            int equals = body.indexOf('=');
            String name = equals < 0 ? body : body.substring(0, equals);
            Optional<String> inline = equals < 0 ? Optional.empty() : Optional.of(body.substring(equals + 1));
            if (name.equals("h") || name.equals("help")) {
                help = true;
                continue;
            }
            if (name.equals(Options.VERSION_FLAG)) {
                version = true;
                continue;
            }
            if (name.equals(Options.CONFIG_FLAG)) {
                String file = inline.isPresent() ? inline.get() : valueAfter(args, i++, name);
                configFile = Optional.of(Path.of(file));
                continue;
            }
            Option<?> option = Options.byFlag(name).orElseThrow(() -> new SettingsException(
                    "flag provided but not defined: -" + name + " (see -h for the list of flags)"));
            String value;
            if (inline.isPresent()) {
                value = inline.get();
            } else if (option.valueWhenAlone().isPresent() && (i + 1 >= args.size() || args.get(i + 1).startsWith("-"))) {
                value = option.valueWhenAlone().get();
            } else {
                value = valueAfter(args, i++, name);
            }
            values.put(option.key(), value);
            flags.put(option.key(), "-" + name);
        }
        return new CommandLine(Map.copyOf(values), Map.copyOf(flags), configFile, help, version);
    }

    private static String valueAfter(List<String> args, int index, String name) throws SettingsException {
        if (index + 1 >= args.size()) {
            throw new SettingsException("flag needs an argument: -" + name + " (see -h)");
        }
        return args.get(index + 1);
    }
}
