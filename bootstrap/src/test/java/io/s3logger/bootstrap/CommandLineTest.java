package io.s3logger.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

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

    @Test
    void booleanFlagsMayStandAlone() throws Exception {
        assertThat(CommandLine.parse(List.of("-path-style", "-t", "1m")).values())
                .containsEntry("s3logger.s3.path-style", "true")
                .containsEntry("s3logger.rotation.max-age", "1m");
        assertThat(CommandLine.parse(List.of("-path-style=false")).values())
                .containsEntry("s3logger.s3.path-style", "false");
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
