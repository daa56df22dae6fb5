package io.s3logger.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recipes of docs/clients.md with the real client libraries: each logs 10,000 events to the
 * fat jar on the local store, and every event is stored exactly once with its exact text. The
 * clients run in this JVM ({@link RecipeClients}); python3 runs the Python recipe.
 */
class RealClientsIT {

    static final int EVENTS = 10_000;

    @TempDir
    Path work;

    private LocalStoreProgram program;

    @BeforeEach
    void startProgram() throws IOException {
        program = LocalStoreProgram.start(work);
    }

    @AfterEach
    void closeProgram() {
        program.close();
    }

    @Test
    void log4j2SocketAppenderWithJsonTemplateLayout() throws Exception {
        log4j2("log4j2-json.xml", EVENTS);

        List<String> stored = storedAfterStop();
        StoredObjects.assertExactlyOnce(ClientEvents.field(stored, "message"), ClientEvents.messages(EVENTS));
        assertThat(ClientEvents.field(stored, "log.level")).hasSize(EVENTS).containsOnly("INFO");
    }

    @Test
    void log4j2SocketAppenderWithGelfLayoutEndingEachObjectWithNul() throws Exception {
        log4j2("log4j2-gelf.xml", EVENTS);

        List<String> stored = storedAfterStop();
        StoredObjects.assertExactlyOnce(ClientEvents.field(stored, "short_message"), ClientEvents.messages(EVENTS));
        assertThat(ClientEvents.field(stored, "version")).hasSize(EVENTS).containsOnly("1.1");
        assertThat(ClientEvents.field(stored, "host")).hasSize(EVENTS).containsOnly("app-1");
    }

    @Test
    void logbackWithLogstashTcpSocketAppender() throws Exception {
        logback("logback.xml", EVENTS);

        List<String> stored = storedAfterStop();
        StoredObjects.assertExactlyOnce(ClientEvents.field(stored, "message"), ClientEvents.messages(EVENTS));
        assertThat(ClientEvents.field(stored, "level")).hasSize(EVENTS).containsOnly("INFO");
    }

    @Test
    void pythonLoggingWithAJsonFormatterOverASocket() throws Exception {
        Path script = Path.of(getClass().getResource("/clients/python_json_logging.py").toURI());
        Process python;
        try {
            python = new ProcessBuilder("python3", script.toString(), program.address().getHostString(),
                    String.valueOf(program.address().getPort()), String.valueOf(EVENTS))
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            System.out.println("SKIPPED pythonLoggingWithAJsonFormatterOverASocket: python3 cannot run here: " + e.getMessage());
            Assumptions.abort("python3 cannot run here: " + e.getMessage());
            return;
        }
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(python.exitValue()).as(output).isZero();

        List<String> stored = storedAfterStop();
        StoredObjects.assertExactlyOnce(ClientEvents.field(stored, "message"), ClientEvents.messages(EVENTS));
        assertThat(ClientEvents.field(stored, "level")).hasSize(EVENTS).containsOnly("INFO");
    }

    private List<String> storedAfterStop() throws Exception {
        program.stop();
        List<String> stored = program.storedLines();
        assertThat(stored).hasSize(EVENTS);
        return stored;
    }

    private void log4j2(String recipe, int count) throws Exception {
        logAll(RecipeClients.log4j2(recipe, program.address()), count);
    }

    private void logback(String recipe, int count) throws Exception {
        logAll(RecipeClients.logback(recipe, program.address()), count);
    }

    private static void logAll(RecipeClients.EventLogger client, int count) throws Exception {
        try (client) {
            for (int i = 0; i < count; i++) {
                client.log(i);
            }
        }
    }
}
