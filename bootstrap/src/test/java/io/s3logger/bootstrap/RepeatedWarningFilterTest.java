package io.s3logger.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RepeatedWarningFilterTest {

    private final AtomicLong nanos = new AtomicLong(-5_000_000_000L);
    private final RepeatedWarningFilter filter = new RepeatedWarningFilter(nanos::get, Duration.ofMinutes(1), 3);
    private final LoggerContext context = new LoggerContext();
    private final Logger tcp = context.getLogger("io.s3logger.adapter.tcp.TcpIngestServer");
    private final Logger delivery = context.getLogger("io.s3logger.domain.service.DeliveryService");

    private FilterReply warn(Logger logger, String format) {
        return filter.decide(null, logger, Level.WARN, format, null, null);
    }

    @Test
    void aBurstPassesThenSimilarLinesAreCountedUntilTheWindowEnds() {
        for (int i = 0; i < 3; i++) {
            assertThat(warn(tcp, "Closing connection from {}: {}")).isEqualTo(FilterReply.NEUTRAL);
        }
        for (int i = 0; i < 5; i++) {
            assertThat(warn(tcp, "Closing connection from {}: {}")).isEqualTo(FilterReply.DENY);
        }

        assertThat(filter.drainSuppressed()).containsExactly(
                new RepeatedWarningFilter.Suppressed(tcp.getName(), "Closing connection from {}: {}", 5));
        assertThat(filter.drainSuppressed()).as("counts are reported once").isEmpty();

        nanos.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(warn(tcp, "Closing connection from {}: {}")).isEqualTo(FilterReply.DENY);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(warn(tcp, "Closing connection from {}: {}")).as("a new window").isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void messagesDifferingOnlyInWordsWithDigitsAreSimilarOthersAreNot() {
        for (int attempt = 1; attempt <= 3; attempt++) {
            assertThat(warn(delivery, "Delivery of logs/dt=2026-01-01/x" + attempt + ".json.gz failed (attempt " + attempt + ")"))
                    .isEqualTo(FilterReply.NEUTRAL);
        }
        assertThat(warn(delivery, "Delivery of logs/dt=2026-01-01/y.json.gz failed (attempt 4)")).isEqualTo(FilterReply.DENY);
        assertThat(warn(delivery, "Something else entirely")).isEqualTo(FilterReply.NEUTRAL);
        assertThat(warn(tcp, "Delivery of logs/dt=2026-01-01/y.json.gz failed (attempt 4)"))
                .as("another logger is another kind").isEqualTo(FilterReply.NEUTRAL);

        assertThat(filter.drainSuppressed()).singleElement()
                .satisfies(suppressed -> assertThat(suppressed.count()).isEqualTo(1));
    }

    @Test
    void otherLevelsAreNeverLimited() {
        for (int i = 0; i < 10; i++) {
            assertThat(filter.decide(null, tcp, Level.ERROR, "LOST {} objects", null, null)).isEqualTo(FilterReply.NEUTRAL);
            assertThat(filter.decide(null, tcp, Level.INFO, "Delivered {}", null, null)).isEqualTo(FilterReply.NEUTRAL);
        }
        assertThat(filter.drainSuppressed()).isEmpty();
    }
}
