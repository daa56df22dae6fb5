package io.s3logger.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.joran.JoranConfigurator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.xml.XmlConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recipes of docs/clients.md with the real client libraries: each logs 10,000 events to the
 * fat jar on the local store, and every event is stored exactly once with its exact text. The
 * clients run in this JVM, each in its own logger context (the program runs in a child JVM, so
 * its logback does not meet theirs).
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

    /** Logs {@code count} events through log4j2 configured by the recipe, then stops log4j2 (flushes and closes). */
    private void log4j2(String recipe, int count) throws IOException {
        LoggerContext context = new LoggerContext("client-" + recipe);
        byte[] xml = ClientEvents.recipe(recipe, program.address()).getBytes(StandardCharsets.UTF_8);
        context.start(new XmlConfiguration(context, new ConfigurationSource(new ByteArrayInputStream(xml))));
        try {
            org.apache.logging.log4j.Logger log = context.getLogger("app");
            for (int i = 0; i < count; i++) {
                log.info(ClientEvents.message(i));
            }
        } finally {
            context.stop(60, TimeUnit.SECONDS);
        }
    }

    /** Logs {@code count} events through a logback context configured by the recipe, then stops it (drains the ring buffer). */
    private void logback(String recipe, int count) throws Exception {
        ch.qos.logback.classic.LoggerContext context = new ch.qos.logback.classic.LoggerContext();
        context.setName("client-" + recipe);
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter()); // SLF4J sets it only on its own context
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(new ByteArrayInputStream(ClientEvents.recipe(recipe, program.address()).getBytes(StandardCharsets.UTF_8)));
        try {
            org.slf4j.Logger log = context.getLogger("app");
            for (int i = 0; i < count; i++) {
                log.info(ClientEvents.message(i));
            }
        } finally {
            context.stop();
        }
    }
}
