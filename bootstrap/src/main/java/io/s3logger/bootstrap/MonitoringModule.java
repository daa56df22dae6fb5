package io.s3logger.bootstrap;

import dagger.Module;
import dagger.Provides;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.s3logger.adapter.fs.GzipSegmentSpool;
import io.s3logger.adapter.tcp.TcpIngestServer;
import io.s3logger.domain.port.out.MonotonicClock;
import io.s3logger.domain.service.DeliveryService;
import io.s3logger.domain.service.IngestService;
import io.s3logger.domain.service.SegmentWriter;
import io.s3logger.domain.service.StoreStartupCheck;
import java.time.InstantSource;
import javax.inject.Singleton;

/** Metrics, health and the status line. Each component has its own registry: no global state. */
@Module
public interface MonitoringModule {

    @Provides
    @Singleton
    static PrometheusRegistry registry() {
        return new PrometheusRegistry();
    }

    @Provides
    @Singleton
    static DeliveryLatency deliveryLatency(PrometheusRegistry registry) {
        return new DeliveryLatency(registry);
    }

    @Provides
    @Singleton
    static MonitoringServer monitoringServer(Settings settings, PrometheusRegistry registry, TcpIngestServer server,
            GzipSegmentSpool spool, SegmentWriter writer, IngestService ingest, DeliveryService delivery, InstantSource clock,
            MonotonicClock monotonic, StoreStartupCheck storeCheck) {
        ProgramMetrics.register(registry, server, server.memoryBudget(), spool, writer, ingest, delivery, clock);
        Readiness readiness = new Readiness(settings, server, ingest, delivery, storeCheck, monotonic);
        return new MonitoringServer(settings.monitoring().address(), registry, readiness);
    }

    @Provides
    @Singleton
    static StatusReporter statusReporter(Settings settings, TcpIngestServer server, IngestService ingest,
            DeliveryService delivery, InstantSource clock, MonotonicClock monotonic) {
        return new StatusReporter(settings.log().statusInterval(), server.stats(), ingest, delivery, clock, monotonic);
    }
}
