package io.s3logger.bootstrap;

import dagger.Module;

/** Everything except the object store, which each component chooses. */
@Module(includes = {ClockModule.class, SpoolModule.class, IngestModule.class, DeliveryModule.class, TcpModule.class,
        MonitoringModule.class})
public interface CoreModule {}
