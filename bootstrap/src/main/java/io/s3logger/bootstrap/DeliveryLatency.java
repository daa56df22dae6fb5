package io.s3logger.bootstrap;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import io.s3logger.domain.service.Delivery;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Told of every confirmed delivery; records how long the upload took and how late the data
 * reached the store (from the segment's creation, so rotation time included). Once per segment,
 * never per object.
 */
final class DeliveryLatency implements Consumer<Delivery> {

    private final Histogram uploadDuration;
    private final Histogram latency;

    DeliveryLatency(PrometheusRegistry registry) {
        this.uploadDuration = Histogram.builder().name("s3logger_upload_duration").unit(Unit.SECONDS)
                .help("Time of each successful upload to the object store")
                .classicOnly().classicUpperBounds(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)
                .register(registry);
        this.latency = Histogram.builder().name("s3logger_delivery_latency").unit(Unit.SECONDS)
                .help("Time from a segment's creation to the store's confirmation of its upload")
                .classicOnly().classicUpperBounds(1, 5, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 4 * 3600, 24 * 3600)
                .register(registry);
    }

    @Override
    public void accept(Delivery delivery) {
        uploadDuration.observe(seconds(delivery.uploadTime()));
        latency.observe(seconds(delivery.age()));
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
