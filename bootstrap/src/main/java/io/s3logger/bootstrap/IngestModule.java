package io.s3logger.bootstrap;

import dagger.Binds;
import dagger.Module;
import dagger.Provides;
import io.s3logger.domain.port.in.IngestUseCase;
import io.s3logger.domain.port.out.MonotonicClock;
import io.s3logger.domain.port.out.SegmentSpool;
import io.s3logger.domain.service.DeliveryQueue;
import io.s3logger.domain.service.IngestLimits;
import io.s3logger.domain.service.IngestService;
import io.s3logger.domain.service.SegmentWriter;
import java.time.InstantSource;
import java.util.random.RandomGenerator;
import javax.inject.Singleton;

/** The writer side: queue, segment writer, and the hand-off of sealed segments to the {@link DeliveryQueue}. */
@Module
public interface IngestModule {

    @Provides
    @Singleton
    static SegmentWriter writer(Settings settings, SegmentSpool spool, InstantSource clock, MonotonicClock monotonic,
            RandomGenerator random, DeliveryQueue sealed) {
        return new SegmentWriter(spool, settings.rotation(), settings.spool().flushInterval(), clock, monotonic, random,
                sealed::put);
    }

    @Provides
    @Singleton
    static IngestService ingestService(Settings settings, SegmentWriter writer, DeliveryQueue sealed) {
        IngestLimits limits = new IngestLimits(settings.spool().queueBytes(), settings.spool().cap());
        return new IngestService(writer, limits, settings.retry(), sealed);
    }

    @Binds
    IngestUseCase ingest(IngestService service);
}
