package io.s3logger.adapter.fs.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Deterministic, realistic newline-delimited JSON for benchmarks: access logs, application logs
 * with multilingual text and stack traces, and metrics, 200–800 bytes a line. The same seed gives
 * the same bytes.
 */
final class NdjsonSample {

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

    private NdjsonSample() {}

    /** At least {@code targetBytes} of complete lines. */
    static byte[] generate(long targetBytes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, targetBytes + 1024));
        long time = 1_700_000_000_000L;
        while (out.size() < targetBytes) {
            time += random.nextInt(50);
            String line = switch (random.nextInt(3)) {
                case 0 -> accessLog(random, time);
                case 1 -> applicationLog(random, time);
                default -> metrics(random, time);
            };
            out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
        return out.toByteArray();
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
        StringBuilder line = new StringBuilder(600)
                .append("{\"type\":\"app\",\"ts\":").append(time)
                .append(",\"level\":\"").append(random.nextInt(5) == 0 ? "ERROR" : "INFO")
                .append("\",\"logger\":\"com.example.orders.OrderService\",\"msg\":\"").append(pick(random, MESSAGES))
                .append("\",\"order_id\":").append(random.nextLong() >>> 1);
        if (random.nextInt(3) == 0) {
            line.append(",\"stack\":\"java.lang.IllegalStateException: boom\\n\\tat com.example.orders.OrderService.save(OrderService.java:")
                    .append(random.nextInt(400))
                    .append(")\\n\\tat com.example.orders.OrderController.post(OrderController.java:57)\\n\\tat java.base/java.lang.Thread.run(Thread.java:1583)\"");
        }
        return line.append('}').toString();
    }

    private static String metrics(SplittableRandom random, long time) {
        StringBuilder line = new StringBuilder(400)
                .append("{\"type\":\"metrics\",\"ts\":").append(time)
                .append(",\"host\":\"web-").append(random.nextInt(20)).append("\",\"cpu\":[");
        for (int i = 0; i < 8; i++) {
            line.append(i == 0 ? "" : ",").append(random.nextInt(10_000) / 100.0);
        }
        return line.append("],\"mem_free\":").append(random.nextLong(1L << 34))
                .append(",\"load\":").append(random.nextInt(800) / 100.0).append('}').toString();
    }

    private static String pick(SplittableRandom random, String[] values) {
        return values[random.nextInt(values.length)];
    }
}
