package io.s3logger.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** SPEC §9: the log level never opens the libraries' wire and request logging. */
class LogSetupTest {

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

    @AfterEach
    void restoreInfo() {
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
    }

    @Test
    void traceLeavesTheWireHeaderAndSignerLoggersAtInfo() {
        LogSetup.apply(new Settings.LogSettings(org.slf4j.event.Level.TRACE, Settings.LogFormat.HUMAN, Optional.empty()));

        assertThat(context.getLogger("io.s3logger.domain.service.DeliveryService").isTraceEnabled()).isTrue();
        assertThat(context.getLogger("software.amazon.awssdk.core.retry").isTraceEnabled()).isTrue();
        for (String name : LogSetup.UNSAFE_LOGGERS) {
            assertThat(context.getLogger(name).isDebugEnabled()).as(name).isFalse();
            assertThat(context.getLogger(name).isInfoEnabled()).as(name).isTrue();
        }
        assertThat(context.getLogger("org.apache.hc.client5.http.wire").isDebugEnabled()).isFalse();
        assertThat(context.getLogger("software.amazon.awssdk.http.auth.aws.internal.signer.DefaultV4RequestSigner")
                .isDebugEnabled()).isFalse();
    }
}
