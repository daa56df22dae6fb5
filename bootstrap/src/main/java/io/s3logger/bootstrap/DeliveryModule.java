package io.s3logger.bootstrap;

import dagger.Module;
import dagger.Provides;
import io.s3logger.domain.port.out.MonotonicClock;
import io.s3logger.domain.port.out.ObjectStore;
import io.s3logger.domain.port.out.SegmentSpool;
import io.s3logger.domain.service.DeliveryQueue;
import io.s3logger.domain.service.DeliveryService;
import io.s3logger.domain.service.ObjectNaming;
import io.s3logger.domain.service.StoreStartupCheck;
import java.time.InstantSource;
import java.util.random.RandomGenerator;
import javax.inject.Singleton;

/**
 * Delivery of sealed segments to whichever {@link ObjectStore} the component's store module binds,
 * and the {@link DeliveryQueue} that the writer (IngestModule) and the start-up recovery put them in.
 */
@Module
public interface DeliveryModule {

    @Provides
    static ObjectNaming naming(Settings settings) {
        return new ObjectNaming(settings.prefix());
    }

    @Provides
    @Singleton
    static DeliveryQueue queue(MonotonicClock monotonic) {
        return new DeliveryQueue(monotonic);
    }

    /** Run once at start; its finding stays in the pipeline's status until a delivery succeeds. */
    @Provides
    @Singleton
    static StoreStartupCheck storeCheck(ObjectStore store) {
        return new StoreStartupCheck(store);
    }

    @Provides
    @Singleton
    static DeliveryService delivery(Settings settings, DeliveryQueue queue, ObjectStore store, SegmentSpool spool,
            ObjectNaming naming, InstantSource clock, MonotonicClock monotonic, RandomGenerator random,
            DeliveryLatency latency) {
        Settings.DeliverySettings delivery = settings.delivery();
        return new DeliveryService(queue, store, spool, naming, settings.retry(), delivery.alertAfter(), clock, monotonic,
                random, delivery.concurrency(), latency);
    }
}
