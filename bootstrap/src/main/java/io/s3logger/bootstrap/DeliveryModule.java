package io.s3logger.bootstrap;

import dagger.Module;
import dagger.Provides;
import io.s3logger.domain.port.out.MonotonicClock;
import io.s3logger.domain.port.out.ObjectStore;
import io.s3logger.domain.port.out.SegmentSpool;
import io.s3logger.domain.service.DeliveryService;
import io.s3logger.domain.service.ObjectNaming;
import java.time.InstantSource;
import java.util.random.RandomGenerator;
import javax.inject.Singleton;

/** Delivery of sealed segments to whichever {@link ObjectStore} the component's store module binds. */
@Module
public interface DeliveryModule {

    @Provides
    static ObjectNaming naming(Settings settings) {
        return new ObjectNaming(settings.prefix());
    }

    @Provides
    @Singleton
    static DeliveryService delivery(Settings settings, ObjectStore store, SegmentSpool spool, ObjectNaming naming,
            InstantSource clock, MonotonicClock monotonic, RandomGenerator random, DeliveryLatency latency) {
        Settings.DeliverySettings delivery = settings.delivery();
        return new DeliveryService(store, spool, naming, settings.retry(), delivery.alertAfter(), clock, monotonic, random,
                delivery.concurrency(), latency);
    }
}
