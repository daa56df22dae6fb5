package io.s3logger.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator sees of the fat jar: -version, the JSON log format, rate-limited WARN lines. */
class OperationsIT {

    private static final Duration EXIT = Duration.ofSeconds(60);
    private static final JsonFactory JSON = new JsonFactory();

    @TempDir
    Path work;

    private ChildProgram start(String... flags) throws IOException {
        List<String> args = new java.util.ArrayList<>(List.of("-local-store", work.resolve("objects").toString(),
                "-dir", work.resolve("spool").toString(), "-addr", "127.0.0.1:0", "-metrics-addr", "127.0.0.1:0"));
        args.addAll(List.of(flags));
        return ChildProgram.start(args.toArray(String[]::new));
    }

    /** The top-level string fields of one JSON object line; fails if the line is anything else. */
    private static Map<String, String> jsonFields(String line) throws IOException {
        Map<String, String> fields = new HashMap<>();
        try (JsonParser parser = JSON.createParser(line)) {
            assertThat(parser.nextToken()).as(line).isEqualTo(JsonToken.START_OBJECT);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (parser.nextToken() == JsonToken.VALUE_STRING) {
                    fields.put(name, parser.getText());
                } else {
                    parser.skipChildren();
                }
            }
            assertThat(parser.currentToken()).as(line).isEqualTo(JsonToken.END_OBJECT);
            assertThat(parser.nextToken()).as("one object per line: " + line).isNull();
        }
        return fields;
    }

    private static void sendGarbage(InetSocketAddress address) throws IOException {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write("[\"not an object\"]".getBytes(StandardCharsets.UTF_8));
            out.flush();
            JsonClient.awaitServerClose(socket.getInputStream());
        }
    }

    @Test
    void versionPrintsOneLineAndExitsZero() throws Exception {
        try (ChildProgram program = ChildProgram.start("-version")) {
            assertThat(program.awaitExit(EXIT)).isZero();
            assertThat(program.output()).singleElement().asString().matches("s3logger \\d+\\.\\d+\\.\\d+\\S* \\(Java .+\\)");
        }
    }

    @Test
    void theJsonFormatWritesOneJsonObjectPerLine() throws Exception {
        try (ChildProgram program = start("-log-format", "json")) {
            InetSocketAddress address = program.awaitListening();
            JsonClient.send(address, 1, 10, JsonClient.Shape.PRETTY);
            sendGarbage(address);

            assertThat(program.terminate(EXIT)).isZero();

            List<Map<String, String>> events = new java.util.ArrayList<>();
            for (String line : program.output()) {
                events.add(jsonFields(line));
            }
            assertThat(events).allSatisfy(event -> assertThat(event).containsKeys("level", "loggerName", "formattedMessage"));
            assertThat(events).anySatisfy(event -> assertThat(event.get("formattedMessage")).contains("listening on"));
            assertThat(events).anySatisfy(event -> {
                assertThat(event.get("level")).isEqualTo("WARN");
                assertThat(event.get("formattedMessage")).contains("NOT_AN_OBJECT");
            });
            assertThat(events).anySatisfy(event -> assertThat(event.get("formattedMessage")).startsWith("Shutdown complete"));
        }
    }

    @Test
    void repeatedWarningsAreRateLimitedAndTheSuppressedCountIsSaidAtExit() throws Exception {
        try (ChildProgram program = start()) {
            InetSocketAddress address = program.awaitListening();
            for (int i = 0; i < 25; i++) {
                sendGarbage(address);
            }

            assertThat(program.terminate(EXIT)).isZero();

            assertThat(program.output().stream().filter(line -> line.contains("NOT_AN_OBJECT"))).hasSize(10);
            assertThat(program.outputText())
                    .contains("Suppressed 15 more WARN lines like \"Closing connection from {}: {}\"");
        }
    }

    @Test
    void theLogLevelFlagHidesLessSevereLines() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        InetSocketAddress address = new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port);
        try (ChildProgram program = start("-log-level", "warn", "-addr", "127.0.0.1:" + port)) {
            // Without INFO there is no start-up line to wait for: wait until the port takes connections.
            org.awaitility.Awaitility.await().atMost(EXIT).ignoreExceptions().until(() -> {
                new Socket(address.getAddress(), port).close();
                return true;
            });
            sendGarbage(address);

            assertThat(program.terminate(EXIT)).isZero();

            assertThat(program.outputText()).contains("WARN").contains("NOT_AN_OBJECT");
            assertThat(program.output()).noneMatch(line -> line.contains(" INFO "));
        }
    }
}
