package io.s3logger.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CommandLineTest {

    @Test
    void acceptsTheOriginalsFlagsWithOneOrTwoDashesAndEquals() throws Exception {
        CommandLine line = CommandLine.parse(List.of(
                "-addr", "localhost:9000", "--bucket=b", "-dir=/tmp/s", "--mb", "10", "-prefix", "p", "-t", "5m0s"));

        assertThat(line.values()).containsEntry("s3logger.addr", "localhost:9000")
                .containsEntry("s3logger.s3.bucket", "b")
                .containsEntry("s3logger.dir", "/tmp/s")
                .containsEntry("s3logger.rotation.max-mb", "10")
                .containsEntry("s3logger.prefix", "p")
                .containsEntry("s3logger.rotation.max-age", "5m0s");
        assertThat(line.flagsByKey()).containsEntry("s3logger.rotation.max-age", "-t");
        assertThat(line.help()).isFalse();
    }

    /** A value of each kind that usage names, as a user would type it. */
    private static final Map<String, String> SAMPLE_VALUES = Map.ofEntries(
            Map.entry("host:port", "127.0.0.1:9000"), Map.entry("int", "7"), Map.entry("duration", "90s"),
            Map.entry("file", "/etc/s3logger/x.pem"), Map.entry("password", "p=ss word"), Map.entry("name", "logs-eu"),
            Map.entry("dir", "/var/tmp/s3"), Map.entry("string", "a/b"), Map.entry("level", "warn"), Map.entry("human|json", "json"),
            Map.entry("url", "http://localhost:9000"), Map.entry("auto|true|false", "false"), Map.entry("class", "STANDARD_IA"),
            Map.entry("mode", "aws:kms"), Map.entry("id", "k-1"), Map.entry("size", "32MiB"), Map.entry("type", "application/x-ndjson"),
            Map.entry("token", "gzip"));

    static Stream<Arguments> everyFlagWithAValue() {
        return Options.ALL.stream().map(option -> Arguments.of(option.flag(), option, SAMPLE_VALUES.get(option.valueName())));
    }

    @ParameterizedTest(name = "-{0}")
    @MethodSource("everyFlagWithAValue")
    void everyFlagTakesItsValueAfterASpaceOrAfterEquals(String flag, Option<?> option, String value) throws Exception {
        assertThat(value).as("a sample value for \"%s\" in this test", option.valueName()).isNotNull();
        Option<?> other = Options.ALL.get(option.equals(Options.ALL.get(0)) ? 1 : 0); // another flag next to it
        String otherValue = SAMPLE_VALUES.get(other.valueName());
        for (String dashes : List.of("-", "--")) {
            List<List<String>> forms = List.of(
                    List.of(dashes + flag, value, "-" + other.flag(), otherValue),
                    List.of(dashes + flag + "=" + value, "-" + other.flag(), otherValue),
                    List.of("-" + other.flag(), otherValue, dashes + flag, value));
            for (List<String> args : forms) {
                CommandLine line = CommandLine.parse(args);
                assertThat(line.values()).as("%s", args).isEqualTo(Map.of(option.key(), value, other.key(), otherValue));
                assertThat(line.flagsByKey()).as("%s", args).containsEntry(option.key(), "-" + flag);
            }
        }
    }

    @ParameterizedTest(name = "-{0}")
    @MethodSource("everyFlagWithAValue")
    void aFlagWithoutItsValueAtTheEndIsAnErrorUnlessItMayStandAlone(String flag, Option<?> option, String value) throws Exception {
        List<String> args = List.of("-" + flag);
        if (option.valueWhenAlone().isPresent()) {
            assertThat(CommandLine.parse(args).values()).containsEntry(option.key(), option.valueWhenAlone().get());
        } else {
            assertThatThrownBy(() -> CommandLine.parse(args)).hasMessage("flag needs an argument: -" + flag + " (see -h)");
        }
    }

    @Test
    void pathStyleMayStandAloneMeaningTrue() throws Exception {
        assertThat(CommandLine.parse(List.of("-path-style", "-t", "1m")).values())
                .containsEntry("s3logger.s3.path-style", "true")
                .containsEntry("s3logger.rotation.max-age", "1m");
        assertThat(CommandLine.parse(List.of("-t", "1m", "--path-style")).values())
                .containsEntry("s3logger.s3.path-style", "true");
        assertThat(CommandLine.parse(List.of("-path-style", "--")).values())
                .containsEntry("s3logger.s3.path-style", "true");
    }

    @Test
    void pathStyleTakesItsValueAfterASpaceAsTheDocsWriteIt() throws Exception {
        for (String value : List.of("false", "true", "auto")) {
            assertThat(CommandLine.parse(List.of("-path-style", value, "-endpoint", "http://localhost:9000")).values())
                    .containsEntry("s3logger.s3.path-style", value)
                    .containsEntry("s3logger.s3.endpoint", "http://localhost:9000");
        }
    }

    @Test
    void helpAndConfigFile() throws Exception {
        assertThat(CommandLine.parse(List.of("-h")).help()).isTrue();
        assertThat(CommandLine.parse(List.of("--help")).help()).isTrue();
        assertThat(CommandLine.parse(List.of("-config", "a.conf")).configFile()).contains(Path.of("a.conf"));
    }

    @Test
    void versionFlag() throws Exception {
        assertThat(CommandLine.parse(List.of("-version")).version()).isTrue();
        assertThat(CommandLine.parse(List.of("--version")).version()).isTrue();
        assertThat(CommandLine.parse(List.of("-h")).version()).isFalse();
    }

    @Test
    void unknownFlagMissingValueAndStrayArgumentsAreErrors() {
        assertThatThrownBy(() -> CommandLine.parse(List.of("-nope", "1")))
                .hasMessage("flag provided but not defined: -nope (see -h for the list of flags)");
        assertThatThrownBy(() -> CommandLine.parse(List.of("-t")))
                .hasMessage("flag needs an argument: -t (see -h)");
        assertThatThrownBy(() -> CommandLine.parse(List.of("-t", "1m", "extra")))
                .hasMessageContaining("unexpected argument \"extra\"");
    }
}
