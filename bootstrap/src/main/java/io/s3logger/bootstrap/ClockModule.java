package io.s3logger.bootstrap;

import dagger.Module;
import dagger.Provides;
import io.s3logger.domain.port.out.MonotonicClock;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.InstantSource;
import java.util.random.RandomGenerator;
import javax.inject.Singleton;

/**
 * Time and randomness, the only sources the core uses: a monotonic clock for every duration,
 * the wall clock (UTC) only for names, keys and human-readable stamps.
 */
@Module
public interface ClockModule {

    @Provides
    static InstantSource clock() {
        return Clock.systemUTC();
    }

    @Provides
    static MonotonicClock monotonic() {
        return System::nanoTime;
    }

    /** Segment names carry 64 random bits so that many instances can share one bucket. */
    @Provides
    @Singleton
    static RandomGenerator random() {
        return new SecureRandom();
    }
}
