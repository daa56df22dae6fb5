package io.s3logger.bootstrap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional HTTP listener: {@code /metrics} in the Prometheus formats (the client library's
 * handler), {@code /healthz} (the process answers) and {@code /readyz} ({@link Readiness}; 200 or
 * 503 with a JSON body giving each check's result).
 *
 * <p>An address that cannot be bound is logged at ERROR and the program runs on without the
 * listener: taking in and delivering data matters more than watching it, and a missing
 * {@code /readyz} still tells a load balancer or orchestrator that something is wrong.
 */
final class MonitoringServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MonitoringServer.class);
    private static final int BACKLOG = 16;

    private final Optional<InetSocketAddress> address;
    private final PrometheusRegistry registry;
    private final Readiness readiness;
    private HttpServer server;
    private ExecutorService executor;

    MonitoringServer(Optional<InetSocketAddress> address, PrometheusRegistry registry, Readiness readiness) {
        this.address = address;
        this.registry = registry;
        this.readiness = readiness;
    }

    /** Binds the listener, if one is configured and the address can be bound. */
    synchronized void start() {
        if (address.isEmpty()) {
            return;
        }
        InetSocketAddress unresolved = address.get();
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(unresolved.getHostString(), unresolved.getPort()), BACKLOG);
        } catch (IOException e) {
            LOG.error("Cannot serve /metrics, /healthz and /readyz on {}:{} ({}); running without them",
                    unresolved.getHostString(), unresolved.getPort(), e.toString());
            return;
        }
        http.createContext("/metrics", new MetricsHandler(registry));
        http.createContext("/healthz", exchange -> respond(exchange, 200,
                "{\"status\":\"alive\",\"version\":" + JsonText.quote(Version.current()) + "}"));
        http.createContext("/readyz", this::ready);
        executor = Executors.newVirtualThreadPerTaskExecutor();
        http.setExecutor(executor);
        http.start();
        server = http;
    }

    /** The bound address (with the actual port if 0 was asked for), if the listener runs. */
    synchronized Optional<InetSocketAddress> boundAddress() {
        return Optional.ofNullable(server).map(HttpServer::getAddress);
    }

    private void ready(HttpExchange exchange) throws IOException {
        Readiness.Report report = readiness.evaluate();
        String checks = report.checks().entrySet().stream()
                .map(check -> JsonText.quote(check.getKey()) + ":" + JsonText.quote(check.getValue()))
                .collect(Collectors.joining(","));
        respond(exchange, report.ready() ? 200 : 503,
                "{\"status\":\"" + (report.ready() ? "ready" : "not ready") + "\",\"checks\":{" + checks + "}}");
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        try (exchange) {
            byte[] body = (json + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().putAll(Map.of("Content-Type", List.of("application/json"),
                    "Cache-Control", List.of("no-store")));
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(status, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    /** Stops answering at once: a stopping instance is not ready, and its numbers are in the logs. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.close();
            server = null;
        }
    }
}
