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

/**
 * The optional HTTP listener: {@code /metrics} in the Prometheus formats (the client library's
 * handler), {@code /healthz} (the process answers) and {@code /readyz} ({@link Readiness}; 200 or
 * 503 with a JSON body giving each check's result).
 *
 * <p>The address is bound first thing at start ({@link #bind()}), so that an address another
 * process holds stops the program before it takes in anything: running on without the listener
 * would let {@code curl} and the load balancer read that other process's answers. Requests are
 * answered only once the program is up ({@link #start()}).
 */
final class MonitoringServer implements AutoCloseable {

    private static final int BACKLOG = 16;

    private final Optional<InetSocketAddress> address;
    private final PrometheusRegistry registry;
    private final Readiness readiness;
    private HttpServer bound;
    private HttpServer server;
    private ExecutorService executor;

    MonitoringServer(Optional<InetSocketAddress> address, PrometheusRegistry registry, Readiness readiness) {
        this.address = address;
        this.registry = registry;
        this.readiness = readiness;
    }

    /**
     * Binds the listener's address, if one is configured; connections wait in the backlog until
     * {@link #start()}.
     *
     * @throws MetricsAddressException if the address cannot be bound (in use, not local, privileged)
     */
    synchronized void bind() throws MetricsAddressException {
        if (address.isEmpty() || bound != null) {
            return;
        }
        InetSocketAddress unresolved = address.get();
        try {
            bound = HttpServer.create(new InetSocketAddress(unresolved.getHostString(), unresolved.getPort()), BACKLOG);
        } catch (IOException e) {
            throw new MetricsAddressException(unresolved.getHostString() + ":" + unresolved.getPort(), e);
        }
    }

    /** Answers requests on the address bound by {@link #bind()}, if any. */
    synchronized void start() {
        if (bound == null) {
            return;
        }
        HttpServer http = bound;
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
        } else if (bound != null) {
            bound.stop(0);
        }
        bound = null;
    }
}
