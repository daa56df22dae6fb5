package io.s3logger.it;

import dagger.Binds;
import dagger.Module;
import dagger.Provides;
import io.s3logger.domain.port.out.InMemoryObjectStore;
import io.s3logger.domain.port.out.ObjectStore;
import javax.inject.Singleton;

/** Swaps the object store for the in-memory fake, which tests can inspect and make fail. */
@Module
interface InMemoryStoreModule {

    @Provides
    @Singleton
    static InMemoryObjectStore fake() {
        return new InMemoryObjectStore();
    }

    @Binds
    ObjectStore store(InMemoryObjectStore fake);
}
