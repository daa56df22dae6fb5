package io.s3logger.bootstrap;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.time.Duration;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Applies the log settings to logback, once, in the process's main: the level, the JSON format if
 * chosen (logback's own {@link JsonEncoder}, one object per line), and the rate limit on repeated
 * WARN lines, whose last counts are reported at exit. logback.xml gives the human format and the level before the settings are read.
 *
 * <p>The level never opens the libraries' wire and request logging: {@link #UNSAFE_LOGGERS} stay at
 * INFO whatever the level (SPEC §9).
 */
final class LogSetup {

    /** Per kind of WARN line: this many pass per {@link #RATE_WINDOW}, the rest are counted. */
    static final int RATE_BURST = 10;
    static final Duration RATE_WINDOW = Duration.ofMinutes(1);

    /**
     * Loggers of the libraries shipped in the fat jar that print request headers (the session token
     * {@code x-amz-security-token}, signatures), request bodies (the users' objects) or the signed
     * canonical request at DEBUG or TRACE. Checked against the shipped versions: the Apache 5 HTTP
     * client's header and wire loggers (and its HTTP/2 frame loggers), the SDK's request logger and
     * its SigV4 signers (both generations), and the Netty client's {@code LoggingHandler} and HTTP/2
     * frame logger, which the SDK's netty-nio client adds to every channel.
     */
    static final List<String> UNSAFE_LOGGERS = List.of(
            "org.apache.hc.client5.http.wire",
            "org.apache.hc.client5.http.headers",
            "org.apache.hc.client5.http2",
            "software.amazon.awssdk.request",
            "software.amazon.awssdk.http.auth.aws.internal.signer",
            "software.amazon.awssdk.auth.signer",
            "io.netty.handler.logging.LoggingHandler",
            "io.netty.handler.codec.http2.Http2FrameLogger");

    private LogSetup() {}

    static void apply(Settings.LogSettings settings) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        for (String name : UNSAFE_LOGGERS) {
            context.getLogger(name).setLevel(Level.INFO);
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(settings.level().name()));
        if (settings.format() == Settings.LogFormat.JSON) {
            for (var appenders = root.iteratorForAppenders(); appenders.hasNext(); ) {
                Appender<ILoggingEvent> appender = appenders.next();
                if (appender instanceof OutputStreamAppender<ILoggingEvent> stream) {
                    JsonEncoder encoder = new JsonEncoder();
                    encoder.setContext(context);
                    // The message as people read it; its pattern and arguments apart would be noise.
                    encoder.setWithFormattedMessage(true);
                    encoder.setWithMessage(false);
                    encoder.setWithArguments(false);
                    encoder.setWithContext(false);
                    encoder.setWithSequenceNumber(false);
                    encoder.setWithNanoseconds(false);
                    encoder.start();
                    stream.stop();
                    stream.setEncoder(encoder);
                    stream.start();
                }
            }
        }
        RepeatedWarningFilter filter = new RepeatedWarningFilter(System::nanoTime, RATE_WINDOW, RATE_BURST);
        filter.setContext(context);
        filter.start();
        context.addTurboFilter(filter);
        // So that what was suppressed in the last window is still said when the program exits.
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("log-rate-limit-report").unstarted(filter::stop));
    }
}
