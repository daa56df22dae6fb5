package io.s3logger.bootstrap;

import dagger.Module;
import dagger.Provides;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.s3logger.adapter.fs.GzipSegmentSpool;
import io.s3logger.adapter.tcp.TcpIngestServer;
import io.s3logger.domain.port.in.PipelineStatusQuery;
import io.s3logger.domain.port.out.MonotonicClock;
import io.s3logger.domain.service.DeliveryService;
import io.s3logger.domain.service.IngestService;
import io.s3logger.domain.service.PipelineStatusService;
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

    /** The one query metrics, readiness and the status line read: each stage's snapshot, composed in the domain. */
    @Provides
    @Singleton
    static PipelineStatusQuery pipelineStatus(TcpIngestServer server, IngestService ingest, SegmentWriter writer,
            GzipSegmentSpool spool, DeliveryService delivery, StoreStartupCheck storeCheck) {
        return new PipelineStatusService(server, ingest, writer, spool, delivery, storeCheck);
    }

    @Provides
    @Singleton
    static MonitoringServer monitoringServer(Settings settings, PrometheusRegistry registry, PipelineStatusQuery pipeline,
            InstantSource clock, MonotonicClock monotonic) {
        ProgramMetrics.register(registry, pipeline, clock);
        Readiness readiness = new Readiness(settings, pipeline, monotonic);
        return new MonitoringServer(settings.monitoring().address(), registry, readiness);
    }

    @Provides
    @Singleton
    static StatusReporter statusReporter(Settings settings, PipelineStatusQuery pipeline, InstantSource clock,
            MonotonicClock monotonic) {
        return new StatusReporter(settings.log().statusInterval(), pipeline, clock, monotonic);
    }
}
