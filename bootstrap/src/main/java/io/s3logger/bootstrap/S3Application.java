package io.s3logger.bootstrap;

import dagger.BindsInstance;
import dagger.Component;
import javax.inject.Singleton;

/** The program uploading to S3 or an S3-compatible store. */
@Singleton
@Component(modules = {CoreModule.class, S3StoreModule.class})
public interface S3Application extends Application {

    @Component.Factory
    interface Factory {
        S3Application create(@BindsInstance Settings settings);
    }
}
