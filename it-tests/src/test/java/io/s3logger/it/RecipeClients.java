package io.s3logger.it;

import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.xml.XmlConfiguration;

/**
 * The real logging libraries, configured by a recipe of src/test/resources/clients, each in its
 * own logger context in this JVM (the program under test runs in a child JVM, so its logback and
 * the clients' never meet).
 */
final class RecipeClients {

    /** Logs the test events; closing flushes and closes the connection as an application's shutdown does. */
    interface EventLogger extends AutoCloseable {

        /** Logs {@link ClientEvents#message} {@code i}; throws if the library reports the event as failed. */
        void log(int i);

        @Override
        void close() throws Exception;
    }

    private RecipeClients() {}

    /** log4j2 configured by an XML recipe. */
    static EventLogger log4j2(String recipe, InetSocketAddress address) throws Exception {
        LoggerContext context = new LoggerContext("client-" + recipe);
        byte[] xml = ClientEvents.recipe(recipe, address).getBytes(StandardCharsets.UTF_8);
        context.start(new XmlConfiguration(context, new ConfigurationSource(new ByteArrayInputStream(xml))));
        org.apache.logging.log4j.Logger log = context.getLogger("app");
        return new EventLogger() {
            @Override
            public void log(int i) {
                log.info(ClientEvents.message(i));
            }

            @Override
            public void close() {
                context.stop(60, TimeUnit.SECONDS);
            }
        };
    }

    /** logback configured by an XML recipe; closing stops the context, which drains the appender's ring buffer. */
    static EventLogger logback(String recipe, InetSocketAddress address) throws Exception {
        ch.qos.logback.classic.LoggerContext context = new ch.qos.logback.classic.LoggerContext();
        context.setName("client-" + recipe);
        context.setMDCAdapter(new LogbackMDCAdapter()); // SLF4J sets it only on its own context
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(new ByteArrayInputStream(ClientEvents.recipe(recipe, address).getBytes(StandardCharsets.UTF_8)));
        org.slf4j.Logger log = context.getLogger("app");
        return new EventLogger() {
            @Override
            public void log(int i) {
                log.info(ClientEvents.message(i));
            }

            @Override
            public void close() {
                context.stop();
            }
        };
    }
}
