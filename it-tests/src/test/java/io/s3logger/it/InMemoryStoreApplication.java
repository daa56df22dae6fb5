package io.s3logger.it;

import dagger.BindsInstance;
import dagger.Component;
import io.s3logger.bootstrap.Application;
import io.s3logger.bootstrap.CoreModule;
import io.s3logger.bootstrap.Settings;
import io.s3logger.domain.port.out.InMemoryObjectStore;
import javax.inject.Singleton;

/** The production wiring with the in-memory store in place of the real one. */
@Singleton
@Component(modules = {CoreModule.class, InMemoryStoreModule.class})
interface InMemoryStoreApplication extends Application {

    InMemoryObjectStore store();

    @Component.Factory
    interface Factory {
        InMemoryStoreApplication create(@BindsInstance Settings settings);
    }
}
