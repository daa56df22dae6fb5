package io.s3logger.bootstrap;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations in Go's syntax ({@code 90s}, {@code 5m0s}, {@code 1h30m}, {@code 1.5h}, {@code 300ms}), as the original's flags took them. */
final class GoDuration {

    static final String FORM = "a duration such as 90s, 5m, 5m0s or 1h30m (units h, m, s, ms, us, ns)";

    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:h|m|s|ms|us|µs|ns)(?:(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:h|m|s|ms|us|µs|ns))*");
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(h|ms|m|s|us|µs|ns)");
    private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
            "h", 3_600_000_000_000L,
            "m", 60_000_000_000L,
            "s", 1_000_000_000L,
            "ms", 1_000_000L,
            "us", 1_000L,
            "µs", 1_000L,
            "ns", 1L);

    private GoDuration() {}

    /** Parses a non-negative duration; "0" alone is zero, as in Go. */
    static Duration parse(String text) {
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        if (!WHOLE.matcher(text).matches()) {
            throw new IllegalArgumentException("not a duration: " + text);
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher part = PART.matcher(text);
        while (part.find()) {
            nanos = nanos.add(new BigDecimal(part.group(1)).multiply(BigDecimal.valueOf(NANOS_PER_UNIT.get(part.group(2)))));
        }
        return Duration.ofNanos(nanos.longValueExact());
    }

    /** Go's {@code Duration.String()} for whole seconds and above: {@code 5m0s}, {@code 1h30m0s}, {@code 1.5s}. */
    static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
            return duration.toMillis() + "ms";
        }
        StringBuilder text = new StringBuilder();
        long hours = duration.toHours();
        int minutes = duration.toMinutesPart();
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            text.append(minutes).append('m');
        }
        BigDecimal seconds = BigDecimal.valueOf(duration.toSecondsPart())
                .add(BigDecimal.valueOf(duration.toNanosPart(), 9))
                .stripTrailingZeros();
        return text.append(seconds.toPlainString()).append('s').toString();
    }
}
