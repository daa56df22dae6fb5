package io.s3logger.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

    @ParameterizedTest
    @CsvSource({
        "90s, PT1M30S",
        "5m, PT5M",
        "5m0s, PT5M",
        "1h30m, PT1H30M",
        "1.5h, PT1H30M",
        "300ms, PT0.3S",
        "1m30.5s, PT1M30.5S",
        "0, PT0S",
        "2h45m10s, PT2H45M10S",
    })
    void parsesGoSyntax(String text, Duration expected) {
        assertThat(GoDuration.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "5 m", "-5m", "5min", "m", "1d", "5m-1s"})
    void rejectsAnythingElse(String text) {
        assertThatThrownBy(() -> GoDuration.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"PT5M, 5m0s", "PT1H30M, 1h30m0s", "PT10S, 10s", "PT1.5S, 1.5s", "PT0.25S, 250ms"})
    void formatsLikeGo(Duration duration, String expected) {
        assertThat(GoDuration.format(duration)).isEqualTo(expected);
    }
}
