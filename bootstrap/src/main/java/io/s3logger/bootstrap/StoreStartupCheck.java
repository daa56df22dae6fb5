package io.s3logger.bootstrap;

import io.s3logger.domain.port.out.ObjectStore;
import io.s3logger.domain.port.out.ObjectStoreException;
import java.util.Optional;
import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * The object store check made once at start, and what it found: {@link Readiness} reports it until
 * a delivery succeeds, so that {@code /readyz} never says the store is fine right after the check
 * found it unreachable.
 */
@Singleton
final class StoreStartupCheck {

    private final ObjectStore store;
    private volatile Optional<String> failure = Optional.empty();

    @Inject
    StoreStartupCheck(ObjectStore store) {
        this.store = store;
    }

    /** Checks the store; the failure's message, if it failed. */
    Optional<String> run() {
        try {
            store.checkAvailable();
            failure = Optional.empty();
        } catch (ObjectStoreException e) {
            failure = Optional.of(e.getMessage());
        }
        return failure;
    }

    /** Why the check failed, if it ran and failed. */
    Optional<String> failure() {
        return failure;
    }
}
