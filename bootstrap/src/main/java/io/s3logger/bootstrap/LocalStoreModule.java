package io.s3logger.bootstrap;

import dagger.Module;
import dagger.Provides;
import io.s3logger.adapter.fs.LocalDirectoryObjectStore;
import io.s3logger.domain.port.out.ObjectStore;
import javax.inject.Singleton;

/** Objects written as files under a local directory (-local-store). */
@Module
public interface LocalStoreModule {

    @Provides
    @Singleton
    static ObjectStore store(Settings settings) {
        if (!(settings.store() instanceof Settings.LocalStore local)) {
            throw new IllegalStateException("LocalStoreModule used without a local store setting");
        }
        return new LocalDirectoryObjectStore(local.dir());
    }
}
