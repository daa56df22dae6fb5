package io.s3logger.domain.port.out;

import io.s3logger.domain.model.ObjectKey;

/** Keeps the fake honest: it must satisfy the same contract as the real stores. */
class InMemoryObjectStoreTest extends ObjectStoreContract {

    private InMemoryObjectStore current;

    @Override
    protected ObjectStore newStore() {
        current = new InMemoryObjectStore();
        return current;
    }

    @Override
    protected byte[] read(ObjectKey key) {
        return current.get(key);
    }

    @Override
    protected ObjectStore newBrokenStore() {
        InMemoryObjectStore broken = new InMemoryObjectStore();
        broken.setDown(true);
        return broken;
    }
}
