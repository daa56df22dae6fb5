package io.s3logger.bootstrap;

import dagger.Module;
import dagger.Provides;
import io.s3logger.adapter.s3.S3ClientFactory;
import io.s3logger.adapter.s3.S3ObjectStore;
import io.s3logger.domain.port.out.ObjectStore;
import javax.inject.Singleton;

/** Uploads to S3 or an S3-compatible store (-bucket). The client is built once and closed with the store. */
@Module
public interface S3StoreModule {

    @Provides
    @Singleton
    static ObjectStore store(Settings settings) {
        if (!(settings.store() instanceof Settings.S3Store s3)) {
            throw new IllegalStateException("S3StoreModule used without an S3 store setting");
        }
        return new S3ObjectStore(new S3ClientFactory(System.getenv()).create(s3.s3()), s3.s3(), settings.prefix());
    }
}
