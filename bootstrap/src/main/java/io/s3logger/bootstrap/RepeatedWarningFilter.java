package io.s3logger.bootstrap;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.s3logger.domain.port.out.MonotonicClock;
import io.s3logger.domain.text.Plural;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Rate-limits repeated WARN lines (a client sending garbage in a loop, a store failing every
 * retry): per logger and message pattern, at most {@code burst} lines pass per {@code window}; the
 * rest are counted, and once per window a line says how many similar ones were suppressed.
 * Messages are similar when they differ only in words holding digits (addresses, ports, offsets,
 * counts, segment names), since the domain's messages arrive already formatted. ERRORs always pass.
 */
final class RepeatedWarningFilter extends TurboFilter {

    private static final Pattern WORD_WITH_DIGITS = Pattern.compile("\\S*\\d\\S*");
    private static final String REPORTER = RepeatedWarningFilter.class.getName();
    /** Bounds the memory for kinds of message; beyond it, new kinds pass unlimited. */
    private static final int MAX_KINDS = 1_000;

    /** One kind of message that was suppressed in the last window. */
    record Suppressed(String logger, String pattern, long count) {}

    /** Lines of one kind in the current window. */
    private static final class Window {
        long start;
        long passed;
        long suppressed;

        Window(long start) {
            this.start = start;
        }
    }

    private final MonotonicClock clock;
    private final Duration window;
    private final int burst;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("log-rate-limit").daemon().factory());

    RepeatedWarningFilter(MonotonicClock clock, Duration window, int burst) {
        this.clock = clock;
        this.window = window;
        this.burst = burst;
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level != Level.WARN || format == null || logger.getName().equals(REPORTER)) {
            return FilterReply.NEUTRAL;
        }
        String key = logger.getName() + '\n' + WORD_WITH_DIGITS.matcher(format).replaceAll("#");
        long now = clock.nanoTime();
        Window current = windows.get(key);
        if (current == null) {
            if (windows.size() >= MAX_KINDS) {
                return FilterReply.NEUTRAL;
            }
            current = windows.computeIfAbsent(key, k -> new Window(now));
        }
        synchronized (current) {
            if (now - current.start >= window.toNanos()) {
                current.start = now;
                current.passed = 0;
            }
            if (current.passed < burst) {
                current.passed++;
                return FilterReply.NEUTRAL;
            }
            current.suppressed++;
            return FilterReply.DENY;
        }
    }

    /** The kinds of message suppressed since the last call, with their counts; forgets them. */
    List<Suppressed> drainSuppressed() {
        List<Suppressed> drained = new ArrayList<>();
        windows.forEach((key, current) -> {
            synchronized (current) {
                if (current.suppressed > 0) {
                    int newline = key.indexOf('\n');
                    drained.add(new Suppressed(key.substring(0, newline), key.substring(newline + 1), current.suppressed));
                    current.suppressed = 0;
                }
            }
        });
        return drained;
    }

    /** Also starts reporting the suppressed counts once per window. */
    @Override
    public void start() {
        super.start();
        long nanos = window.toNanos();
        timer.scheduleAtFixedRate(this::report, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void stop() {
        timer.shutdownNow();
        report();
        super.stop();
    }

    private void report() {
        org.slf4j.Logger log = LoggerFactory.getLogger(REPORTER);
        for (Suppressed suppressed : drainSuppressed()) {
            log.warn("Suppressed {} like \"{}\" from {} in the last {}", Plural.of(suppressed.count(), "more WARN line", "more WARN lines"),
                    suppressed.pattern(), suppressed.logger(), GoDuration.format(window));
        }
    }
}
