package io.s3logger.bootstrap;

import dagger.Module;
import dagger.Provides;
import io.s3logger.adapter.tcp.TcpIngestServer;
import io.s3logger.domain.port.in.IngestUseCase;
import javax.inject.Singleton;

/** The TCP listener, the driving side. */
@Module
public interface TcpModule {

    @Provides
    @Singleton
    static TcpIngestServer server(Settings settings, IngestUseCase ingest) {
        return new TcpIngestServer(settings.listen(), ingest);
    }
}
