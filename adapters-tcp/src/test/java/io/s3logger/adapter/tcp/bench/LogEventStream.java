package io.s3logger.adapter.tcp.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;

/**
 * Deterministic NDJSON that looks like what clients send: access logs, application logs with
 * multilingual messages, escapes and stack traces, metrics with float arrays, and nested request
 * contexts; events of roughly 200 to 800 bytes, one per line. Same seed, same bytes.
 */
final class LogEventStream {

    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE"};
    private static final String[] PATHS = {"/api/v1/orders", "/api/v1/users/me", "/static/app.js", "/health", "/api/v2/search?q=caf%C3%A9&page=2"};
    private static final String[] AGENTS = {
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
        "curl/8.5.0", "okhttp/4.12.0", "Go-http-client/2.0",
    };
    private static final String[] MESSAGES = {
        "Order accepted for customer",
        "Zahlung für Bestellung fehlgeschlagen: Karte abgelehnt",
        "注文の処理中にタイムアウトが発生しました",
        "Платёж отклонён банком-эмитентом",
        "Le paiement a été refusé — réessayez plus tard",
        "user said \\\"hello\\\" and left\\tearly",
        "emoji in payload 🚀✅ path C:\\\\temp\\\\x",
        "السداد مرفوض من البنك",
    };
    private static final String[] LEVELS = {"DEBUG", "INFO", "INFO", "INFO", "WARN", "ERROR"};
    private static final String STACK = "java.lang.IllegalStateException: connection reset\\n"
            + "\\tat io.example.db.Pool.borrow(Pool.java:212)\\n"
            + "\\tat io.example.orders.OrderService.place(OrderService.java:88)\\n"
            + "\\tat io.example.http.Handler.handle(Handler.java:41)";

    private LogEventStream() {}

    /** At least {@code bytes} bytes of newline-separated events from {@code seed}. */
    static byte[] generate(long bytes, long seed) {
        Random random = new Random(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) bytes + 1024);
        StringBuilder sb = new StringBuilder(1024);
        long ts = 1_760_000_000_000L;
        while (out.size() < bytes) {
            sb.setLength(0);
            ts += random.nextInt(50);
            switch (random.nextInt(4)) {
                case 0 -> access(sb, random, ts);
                case 1 -> application(sb, random, ts);
                case 2 -> metrics(sb, random, ts);
                default -> nested(sb, random, ts);
            }
            sb.append('\n');
            out.writeBytes(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static void access(StringBuilder sb, Random r, long ts) {
        sb.append("{\"type\":\"access\",\"ts\":").append(ts)
                .append(",\"remote\":\"10.").append(r.nextInt(256)).append('.').append(r.nextInt(256)).append('.').append(r.nextInt(256))
                .append("\",\"method\":\"").append(pick(r, METHODS))
                .append("\",\"path\":\"").append(pick(r, PATHS))
                .append("\",\"status\":").append(r.nextInt(10) == 0 ? 500 : 200)
                .append(",\"bytes\":").append(r.nextInt(100_000))
                .append(",\"duration_ms\":").append(String.format(Locale.ROOT, "%.3f", r.nextDouble() * 900))
                .append(",\"user_agent\":\"").append(pick(r, AGENTS))
                .append("\",\"referer\":null,\"tls\":").append(r.nextBoolean())
                .append(",\"trace_id\":\"").append(Long.toHexString(r.nextLong())).append(Long.toHexString(r.nextLong())).append("\"}");
    }

    private static void application(StringBuilder sb, Random r, long ts) {
        String level = pick(r, LEVELS);
        sb.append("{\"type\":\"app\",\"@timestamp\":\"2025-10-09T08:").append(10 + r.nextInt(50)).append(':')
                .append(10 + r.nextInt(50)).append('.').append(100 + r.nextInt(900))
                .append("Z\",\"level\":\"").append(level)
                .append("\",\"logger\":\"io.example.orders.OrderService\",\"thread\":\"worker-").append(r.nextInt(64))
                .append("\",\"message\":\"").append(pick(r, MESSAGES)).append(" #").append(r.nextInt(1_000_000))
                .append("\",\"customer\":{\"id\":").append(r.nextInt(1 << 20)).append(",\"name\":\"Zoë \\u00e9l\\u00e8ve\"}");
        if (level.equals("ERROR")) {
            sb.append(",\"stack_trace\":\"").append(STACK).append('"');
        }
        sb.append(",\"tags\":[\"orders\",\"eu-west-1\",\"canary\"]}");
    }

    private static void metrics(StringBuilder sb, Random r, long ts) {
        sb.append("{\"type\":\"metrics\",\"ts\":").append(ts).append(",\"host\":\"node-").append(r.nextInt(40))
                .append("\",\"cpu\":[");
        int n = 8 + r.nextInt(16);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", r.nextDouble()));
        }
        sb.append("],\"mem\":{\"used\":").append(r.nextLong() >>> 30).append(",\"free\":").append(r.nextInt())
                .append(",\"ratio\":").append(String.format(Locale.ROOT, "%.6e", r.nextDouble() * 1e-3))
                .append("},\"load\":[").append(r.nextInt(8)).append('.').append(r.nextInt(100)).append(",-0.5,1E+2]}");
    }

    private static void nested(StringBuilder sb, Random r, long ts) {
        sb.append("{\"type\":\"event\",\"ts\":").append(ts).append(",\"request\":{\"id\":\"").append(Integer.toHexString(r.nextInt()))
                .append("\",\"headers\":{\"accept\":\"application/json\",\"x-forwarded-for\":\"192.0.2.").append(r.nextInt(256))
                .append("\"},\"body\":{\"items\":[");
        int n = 1 + r.nextInt(5);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"sku\":\"A-").append(r.nextInt(99_999)).append("\",\"qty\":").append(1 + r.nextInt(9))
                    .append(",\"price\":").append(r.nextInt(10_000)).append('.').append(r.nextInt(100)).append(",\"gift\":false}");
        }
        sb.append("]}},\"geo\":{\"city\":\"São Paulo\",\"lat\":-23.5505,\"lon\":-46.6333},\"flags\":[true,null,false]}");
    }

    private static String pick(Random r, String[] options) {
        return options[r.nextInt(options.length)];
    }
}
