package io.s3logger.domain.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Deterministic, realistic log events (200–800 bytes each) as newline-delimited JSON: HTTP access
 * logs, application logs with multilingual text, escapes and stack traces, and metrics. The same
 * seed gives the same bytes, so runs on different days compare. Shared by the benchmarks of every
 * module (framer, compression, end to end).
 */
public final class LogEventGenerator {

    private static final String[] PATHS = {"/api/v1/orders", "/api/v1/users/42", "/static/app.js", "/healthz", "/login"};
    private static final String[] METHODS = {"GET", "GET", "GET", "POST", "PUT", "DELETE"};
    private static final String[] AGENTS = {
        "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
        "curl/8.5.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    };
    private static final String[] MESSAGES = {
        "Bestellung konnte nicht gespeichert werden: Zeitüberschreitung",
        "注文の保存に失敗しました",
        "Не удалось сохранить заказ",
        "payment \\\"declined\\\" for card ending 4242 \\u2014 retrying",
        "user said: \\\"ça marche 👍\\\"",
    };

    /** Events and their total size. */
    public record Sample(byte[] bytes, int objects) {

        /**
         * The same events pretty-printed over several lines (two-space indent), as some loggers
         * write them; stored compact, they give the same lines as this sample.
         */
        public Sample pretty() {
            ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length * 2);
            int depth = 0;
            boolean inString = false;
            for (int i = 0; i < bytes.length; i++) {
                byte b = bytes[i];
                if (inString) {
                    out.write(b);
                    if (b == '\\') {
                        out.write(bytes[++i]);
                    } else if (b == '"') {
                        inString = false;
                    }
                    continue;
                }
                switch (b) {
                    case '"' -> {
                        inString = true;
                        out.write(b);
                    }
                    case '{', '[' -> {
                        out.write(b);
                        newline(out, ++depth);
                    }
                    case '}', ']' -> {
                        newline(out, --depth);
                        out.write(b);
                    }
                    case ',' -> {
                        out.write(b);
                        newline(out, depth);
                    }
                    case ':' -> out.writeBytes(": ".getBytes(StandardCharsets.US_ASCII));
                    default -> out.write(b);
                }
            }
            return new Sample(out.toByteArray(), objects);
        }

        private static void newline(ByteArrayOutputStream out, int depth) {
            out.write('\n');
            for (int i = 0; i < depth; i++) {
                out.write(' ');
                out.write(' ');
            }
        }
    }

    private LogEventGenerator() {}

    public static Sample generate(long targetBytes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, targetBytes + 1024));
        int objects = 0;
        long time = 1_700_000_000_000L;
        while (out.size() < targetBytes) {
            time += random.nextInt(50);
            String event = switch (random.nextInt(3)) {
                case 0 -> accessLog(random, time);
                case 1 -> applicationLog(random, time);
                default -> metrics(random, time);
            };
            out.writeBytes(event.getBytes(StandardCharsets.UTF_8));
            out.write('\n');
            objects++;
        }
        return new Sample(out.toByteArray(), objects);
    }

    private static String accessLog(SplittableRandom random, long time) {
        return "{\"type\":\"access\",\"ts\":" + time + ",\"remote\":\"10." + random.nextInt(256) + "." + random.nextInt(256)
                + "." + random.nextInt(256) + "\",\"method\":\"" + pick(random, METHODS) + "\",\"path\":\""
                + pick(random, PATHS) + "?page=" + random.nextInt(100) + "\",\"status\":" + (random.nextInt(10) == 0 ? 500 : 200)
                + ",\"bytes\":" + random.nextInt(1_000_000) + ",\"duration_ms\":" + random.nextInt(2000) / 10.0
                + ",\"ua\":\"" + pick(random, AGENTS) + "\",\"trace_id\":\"" + Long.toHexString(random.nextLong())
                + Long.toHexString(random.nextLong()) + "\"}";
    }

    private static String applicationLog(SplittableRandom random, long time) {
        StringBuilder event = new StringBuilder(600)
                .append("{\"type\":\"app\",\"ts\":").append(time)
                .append(",\"level\":\"").append(random.nextInt(5) == 0 ? "ERROR" : "INFO")
                .append("\",\"logger\":\"com.example.orders.OrderService\",\"msg\":\"").append(pick(random, MESSAGES))
                .append("\",\"order_id\":").append(random.nextLong() >>> 1)
                .append(",\"big\":123456789012345678901234567890,\"tiny\":5e-324,\"huge\":1e+21,\"neg_zero\":-0.0");
        if (random.nextInt(3) == 0) {
            event.append(",\"stack\":\"java.lang.IllegalStateException: boom\\n\\tat com.example.orders.OrderService.save(OrderService.java:")
                    .append(random.nextInt(400))
                    .append(")\\n\\tat com.example.orders.OrderController.post(OrderController.java:57)\\n\\tat java.base/java.lang.Thread.run(Thread.java:1583)\"");
        }
        return event.append('}').toString();
    }

    private static String metrics(SplittableRandom random, long time) {
        StringBuilder event = new StringBuilder(400)
                .append("{\"type\":\"metrics\",\"ts\":").append(time)
                .append(",\"host\":\"web-").append(random.nextInt(20)).append("\",\"cpu\":[");
        for (int i = 0; i < 8; i++) {
            event.append(i == 0 ? "" : ",").append(random.nextInt(100_000) / 1000.0);
        }
        event.append("],\"audit\":{\"actor\":{\"id\":").append(random.nextInt(10_000))
                .append(",\"roles\":[\"admin\",\"ops\"]},\"action\":\"scale\",\"ok\":true,\"note\":null}}");
        return event.toString();
    }

    private static String pick(SplittableRandom random, String[] values) {
        return values[random.nextInt(values.length)];
    }
}
