package io.s3logger.domain.service;

import io.s3logger.domain.port.out.ObjectStore;
import io.s3logger.domain.port.out.ObjectStoreException;
import java.util.Objects;
import java.util.Optional;

/**
 * The object store check made once at start, and what it found: it is part of the {@link
 * PipelineStatusService pipeline's status}, so that readiness reports it until a delivery succeeds
 * and never says the store is fine right after the check found it unreachable, nor while the check
 * is still waiting for a slow store.
 */
public final class StoreStartupCheck {

    private final ObjectStore store;
    private volatile Optional<String> failure = Optional.empty();
    private volatile boolean running;

    public StoreStartupCheck(ObjectStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Checks the store; the failure's message, if it failed. */
    public Optional<String> run() {
        running = true;
        try {
            store.checkAvailable();
            failure = Optional.empty();
        } catch (ObjectStoreException e) {
            failure = Optional.of(e.getMessage());
        } finally {
            running = false;
        }
        return failure;
    }

    /** True while {@link #run()} waits for the store. */
    public boolean running() {
        return running;
    }

    /** Why the check failed, if it ran and failed. */
    public Optional<String> failure() {
        return failure;
    }
}
