package io.s3logger.bootstrap;

import dagger.Module;
import dagger.Provides;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.InstantSource;
import java.util.random.RandomGenerator;
import javax.inject.Singleton;

/** Time and randomness, the only sources the core uses. */
@Module
public interface ClockModule {

    @Provides
    static InstantSource clock() {
        return Clock.systemUTC();
    }

    /** Segment names carry 64 random bits so that many instances can share one bucket. */
    @Provides
    @Singleton
    static RandomGenerator random() {
        return new SecureRandom();
    }
}
