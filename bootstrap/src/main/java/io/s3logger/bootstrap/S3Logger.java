package io.s3logger.bootstrap;

import io.s3logger.adapter.fs.GzipSegmentSpool;
import io.s3logger.adapter.tcp.TcpIngestServer;
import io.s3logger.domain.model.SealedSegment;
import io.s3logger.domain.port.out.MonotonicClock;
import io.s3logger.domain.port.out.ObjectStore;
import io.s3logger.domain.service.DeliveryQueue;
import io.s3logger.domain.service.DeliveryService;
import io.s3logger.domain.service.IngestService;
import io.s3logger.domain.service.ObjectNaming;
import io.s3logger.domain.service.StoreStartupCheck;
import io.s3logger.domain.text.Plural;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.inject.Inject;
import javax.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assembled program: starts the parts in dependency order and stops them in reverse. One per
 * component, so that every {@link Application#s3logger()} call gives the same program.
 */
@Singleton
public final class S3Logger {

    private static final Logger LOG = LoggerFactory.getLogger(S3Logger.class);
    /**
     * How long start-up waits for the store check: a reachable store answers well within it; a
     * stalled one (up to a minute of S3 deadlines) must not hold back /metrics, /readyz and the
     * listening line, so the check then goes on alone and logs its result when it has one.
     */
    static final Duration STORE_CHECK_WAIT = Duration.ofSeconds(1);

    private final Settings settings;
    private final GzipSegmentSpool spool;
    private final ObjectStore store;
    private final IngestService ingest;
    private final DeliveryQueue sealed;
    private final DeliveryService delivery;
    private final TcpIngestServer server;
    private final MonitoringServer monitoring;
    private final StatusReporter status;
    private final MonotonicClock clock;
    private final StoreStartupCheck storeCheck;

    @Inject
    S3Logger(Settings settings, GzipSegmentSpool spool, ObjectStore store, IngestService ingest,
            DeliveryQueue sealed, DeliveryService delivery, TcpIngestServer server, MonitoringServer monitoring,
            StatusReporter status, MonotonicClock clock, StoreStartupCheck storeCheck) {
        this.settings = settings;
        this.spool = spool;
        this.store = store;
        this.ingest = ingest;
        this.sealed = sealed;
        this.delivery = delivery;
        this.server = server;
        this.monitoring = monitoring;
        this.status = status;
        this.clock = clock;
        this.storeCheck = storeCheck;
    }

    /**
     * Binds the monitoring address and opens the listener first, so that an address in use or a bad
     * TLS file stops the program before it does anything else (objects that arrive meanwhile wait in the bounded queue). Then recovers the
     * spool, starts delivery and the writer, and checks the store once, waiting at most {@link
     * #STORE_CHECK_WAIT} for its answer; ingestion goes on either way: segments wait in the spool
     * until the store works. Last come the monitoring listener and the status line.
     *
     * @throws IOException if a listener cannot start (address, TLS files; {@link MetricsAddressException}
     *     for the monitoring address) or the spool cannot be recovered
     */
    public void start() throws IOException {
        monitoring.bind();
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            monitoring.close();
            throw e;
        }
        List<SealedSegment> recovered = spool.recover();
        if (!recovered.isEmpty()) {
            LOG.info("Found {} from an earlier run; delivering them first",
                    Plural.of(recovered.size(), "finished segment", "finished segments"));
        }
        recovered.forEach(sealed::put);
        delivery.start();
        ingest.start();
        checkStore();
        monitoring.start();
        status.start();
        monitoring.boundAddress().ifPresent(address ->
                LOG.info("Serving /metrics, /healthz and /readyz on http://{}:{}", address.getHostString(), address.getPort()));
        LOG.info("s3logger {} listening on {}: spool {}, rotation {} or {} MiB, flush every {}, {}, store {}",
                Version.current(), server.boundAddress(), settings.spool().dir(),
                GoDuration.format(settings.rotation().maxAge()), settings.rotation().maxBytes() >> 20,
                GoDuration.format(settings.spool().flushInterval()), spool.compression(), describeStore());
    }

    public InetSocketAddress address() {
        return server.boundAddress();
    }

    /** The address of /metrics, /healthz and /readyz, if that listener runs. */
    public Optional<InetSocketAddress> monitoringAddress() {
        return monitoring.boundAddress();
    }

    /**
     * Graceful stop: no new connections, no further reads, every object already received is
     * written and the open segment sealed; then pending segments are delivered. All of it within
     * the shutdown timeout, counted from the call, whatever the disk or the store does: at the
     * deadline the writer gives up (what it could not write is counted lost and logged at ERROR;
     * lines flushed before stay in the spool) and uploads in progress are interrupted (their
     * segments stay in the spool for the next start); threads that ignore it are left behind
     * after {@link io.s3logger.domain.service.RetryTiming#stopGrace()}. The monitoring listener
     * closes first, so that a load balancer following /readyz sees this instance go.
     *
     * @return {@code true} if every segment was delivered
     */
    public boolean stop() throws InterruptedException {
        long deadline = clock.nanoTime() + settings.delivery().shutdownTimeout().toNanos();
        LOG.info("Shutting down: closing the listener and storing every object received");
        monitoring.close();
        status.close();
        closeListener(deadline);
        if (!ingest.close(untilDeadline(deadline))) {
            LOG.error("Shutdown timeout reached before every object received was written to the spool (see the LOST line)");
        }
        boolean delivered = delivery.drain(untilDeadline(deadline));
        if (delivered) {
            LOG.info("Shutdown complete: every segment delivered");
        } else {
            int left = delivery.status().backlog().segments();
            LOG.warn("Shutdown timeout reached: {} {} in the spool {} for the next start",
                    Plural.of(left, "segment", "segments"), left == 1 ? "stays" : "stay", settings.spool().dir());
        }
        store.close();
        try {
            spool.close();
        } catch (IOException e) {
            LOG.warn("Cannot release the spool lock cleanly: {}", e.toString());
        }
        return delivered;
    }

    /**
     * Closes the listener, waiting for connections to hand over what they received, but not past
     * the deadline: with the writer stuck (disk full) they would wait for room in the queue; the
     * writer's own stop then refuses their batches, which they count and log as lost.
     */
    private void closeListener(long deadline) throws InterruptedException {
        Thread closing = Thread.ofPlatform().name("listener-close").daemon().start(server::close);
        if (!closing.join(untilDeadline(deadline))) {
            LOG.warn("Shutdown timeout reached while connections were still handing over objects");
        }
    }

    private Duration untilDeadline(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - clock.nanoTime()));
    }

    private void checkStore() {
        Thread check = Thread.ofPlatform().name("store-check").daemon().start(this::runStoreCheck);
        try {
            if (!check.join(STORE_CHECK_WAIT)) {
                LOG.info("Object store {} has not answered the start-up check within {}; starting without waiting for it"
                        + " (/readyz says so until it answers)", describeStore(), GoDuration.format(STORE_CHECK_WAIT));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runStoreCheck() {
        storeCheck.run().ifPresentOrElse(
                failure -> LOG.warn("Object store {} cannot be used now ({}); accepting data anyway, it waits in the spool"
                        + " until the store works", describeStore(), failure),
                () -> LOG.info("Object store {} is reachable", describeStore()));
    }

    private String describeStore() {
        String normalised = ObjectNaming.normalisePrefix(settings.prefix());
        String prefix = normalised.isEmpty() ? "" : " prefix " + normalised;
        return switch (settings.store()) {
            case Settings.LocalStore local -> "local directory " + local.dir() + prefix;
            case Settings.S3Store s3 -> "s3://" + s3.s3().bucket() + prefix
                    + s3.s3().endpoint().map(endpoint -> " at " + endpoint).orElse("")
                    + s3.s3().region().map(region -> " in " + region).orElse("");
        };
    }
}
