package io.s3logger.bootstrap;

import dagger.Binds;
import dagger.Module;
import dagger.Provides;
import io.s3logger.adapter.fs.GzipSegmentSpool;
import io.s3logger.domain.port.out.SegmentSpool;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.inject.Singleton;

/** The gzip spool on local disk. Opening it takes the spool directory's lock. */
@Module
public interface SpoolModule {

    @Provides
    @Singleton
    static GzipSegmentSpool gzipSpool(Settings settings) {
        try {
            return GzipSegmentSpool.open(settings.spool().dir(), settings.spool().compressionLevel(),
                    settings.spool().compressionThreads());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Binds
    SegmentSpool spool(GzipSegmentSpool spool);
}
