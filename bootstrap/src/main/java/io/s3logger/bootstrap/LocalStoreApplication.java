package io.s3logger.bootstrap;

import dagger.BindsInstance;
import dagger.Component;
import javax.inject.Singleton;

/** The program writing objects to a local directory. */
@Singleton
@Component(modules = {CoreModule.class, LocalStoreModule.class})
public interface LocalStoreApplication extends Application {

    @Component.Factory
    interface Factory {
        LocalStoreApplication create(@BindsInstance Settings settings);
    }
}
