package io.s3logger.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/querying.md's DuckDB queries, read from the page, run with DuckDB's JDBC driver on what the
 * fat jar stored in its local store: row counts, the {@code dt} partition column and exact values,
 * a 30-digit integer among them.
 */
class DuckDbQueryIT {

    private static final Path DOC = Path.of("..", "docs", "querying.md");
    private static final int EVENTS = 10_000;
    private static final BigInteger BIG = new BigInteger("123456789012345678901234567890");
    private static final String[] TENANTS = {"acme", "globex"};
    private static final String[] SERVICES = {"api", "web", "worker"};

    @TempDir
    Path work;

    private static String event(int i) {
        return "{\"time\":\"2026-12-01T15:04:05.123Z\",\"level\":\"INFO\",\"tenant\":\"" + TENANTS[i % 2] + "\",\"service\":\""
                + SERVICES[i % 3] + "\",\"n\":" + BIG.add(BigInteger.valueOf(i)) + ",\"price\":" + (i % 100) + ".10,\"message\":\"event "
                + i + " caf\\u00e9\"}\n";
    }

    /** The SQL block after the marker {@code <!-- tested by DuckDbQueryIT: name -->}, pointed at {@code objects}. */
    private static String query(String name, Path objects, String day) throws Exception {
        String doc = Files.readString(DOC);
        Matcher block = Pattern.compile("<!-- tested by DuckDbQueryIT: " + Pattern.quote(name) + " -->\\n```sql\\n(.*?)```", Pattern.DOTALL)
                .matcher(doc);
        assertThat(block.find()).as("docs/querying.md has the %s query", name).isTrue();
        return block.group(1).replace("s3://my-logs/logs", objects.toAbsolutePath().toString())
                .replace("current_date", "DATE '" + day + "'");
    }

    @Test
    void theDocsDuckDbQueriesReadTheStoreWithDtAndExactValues() throws Exception {
        Path objects;
        try (LocalStoreProgram program = LocalStoreProgram.start(work, "-mb", "1")) {
            try (Socket socket = new Socket(program.address().getAddress(), program.address().getPort())) {
                OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
                for (int i = 0; i < EVENTS; i++) {
                    out.write(event(i).getBytes(StandardCharsets.UTF_8));
                }
                out.flush();
                socket.shutdownOutput();
                JsonClient.awaitServerClose(socket.getInputStream());
            }
            program.stop();
            assertThat(program.storedLines()).hasSize(EVENTS);
            objects = program.objects();
        }
        List<String> days;
        try (Stream<Path> dirs = Files.list(objects)) {
            days = dirs.map(dir -> dir.getFileName().toString()).toList();
        }
        assertThat(days).singleElement().asString().startsWith("dt=");
        String day = days.get(0).substring(3);
        try (Stream<Path> files = Files.list(objects.resolve(days.get(0)))) {
            assertThat(files.count()).as("-mb 1 rotated the 1.6 MB into several objects").isGreaterThan(1);
        }

        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duckdb.createStatement()) {
            try (ResultSet rows = sql.executeQuery(query("exact", objects, day))) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getObject("dt").toString()).isEqualTo(day);
                assertThat(rows.getLong("events")).isEqualTo(EVENTS);
                assertThat(rows.getLong("distinct_n")).isEqualTo(EVENTS);
                assertThat(new BigInteger(rows.getString("min_n"))).isEqualTo(BIG);
                assertThat(rows.getBigDecimal("total_price")).isEqualByComparingTo(new BigDecimal("496000.00"));
                assertThat(rows.next()).isFalse();
            }
            try (ResultSet rows = sql.executeQuery(query("inferred", objects, day))) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getLong("events")).isEqualTo(EVENTS);
                assertThat(rows.getString("n_type")).isEqualTo("DOUBLE");
                assertThat(rows.getLong("distinct_n")).as("30-digit integers read as DOUBLE collapse").isLessThan(100);
            }
            Map<String, Long> expected = new TreeMap<>();
            for (int i = 0; i < EVENTS; i++) {
                expected.merge(TENANTS[i % 2] + "/" + SERVICES[i % 3], 1L, Long::sum);
            }
            Map<String, Long> perTenant = new TreeMap<>();
            List<String> order = new ArrayList<>();
            try (ResultSet rows = sql.executeQuery(query("per-tenant", objects, day))) {
                while (rows.next()) {
                    String group = rows.getString("tenant") + "/" + rows.getString("service");
                    perTenant.put(group, rows.getLong("events"));
                    order.add(group);
                }
            }
            assertThat(perTenant).isEqualTo(expected);
            assertThat(order).isSorted();
        }
    }
}
