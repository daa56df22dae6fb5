package io.s3logger.domain.port.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3logger.domain.model.ObjectKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link ObjectStore} contract, run against every implementation by a subclass that says how
 * to build the store and how to read an object back.
 */
public abstract class ObjectStoreContract {

    @TempDir
    protected Path work;

    private ObjectStore store;

    /** A working store, empty. */
    protected abstract ObjectStore newStore() throws Exception;

    /** The stored bytes under {@code key}, or {@code null} if there is no such object. */
    protected abstract byte[] read(ObjectKey key) throws Exception;

    /** A store that cannot work (unreachable endpoint, missing bucket, unwritable directory...). */
    protected abstract ObjectStore newBrokenStore() throws Exception;

    /** Size of an object that the implementation must upload in several parts, if it has parts. */
    protected long multipartSizeBytes() {
        return 12L * 1024 * 1024;
    }

    protected final ObjectStore store() {
        return store;
    }

    @BeforeEach
    void createStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    protected final Path fileWith(byte[] content) throws IOException {
        Path file = Files.createTempFile(work, "segment", ".json.gz");
        Files.write(file, content);
        return file;
    }

    protected static byte[] randomBytes(long size, long seed) {
        byte[] bytes = new byte[Math.toIntExact(size)];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void storesSmallObjectByteForByte() throws Exception {
        byte[] content = randomBytes(1000, 1);
        ObjectKey key = new ObjectKey("dt=2018-02-09/20180209T213803_df718a7818e53243.json.gz");

        store.put(key, fileWith(content));

        assertThat(read(key)).isEqualTo(content);
    }

    @Test
    void storesEmptyFile() throws Exception {
        ObjectKey key = new ObjectKey("dt=2018-02-09/20180209T213804_0000000000000000.json.gz");

        store.put(key, fileWith(new byte[0]));

        assertThat(read(key)).isEmpty();
    }

    @Test
    void storesObjectLargerThanOnePart() throws Exception {
        byte[] content = randomBytes(multipartSizeBytes(), 2);
        ObjectKey key = new ObjectKey("big/dt=2018-02-09/20180209T213805_00000000000000ff.json.gz");

        store.put(key, fileWith(content));

        assertThat(read(key)).isEqualTo(content);
    }

    @Test
    void storesUnderNestedPrefixes() throws Exception {
        ObjectKey a = new ObjectKey("a/b/c/dt=2020-01-01/20200101T000000_0000000000000001.json.gz");
        ObjectKey b = new ObjectKey("a/dt=2020-01-01/20200101T000000_0000000000000001.json.gz");

        store.put(a, fileWith(new byte[] {1}));
        store.put(b, fileWith(new byte[] {2}));

        assertThat(read(a)).containsExactly(1);
        assertThat(read(b)).containsExactly(2);
    }

    @Test
    void replacesExistingObject() throws Exception {
        ObjectKey key = new ObjectKey("dt=2020-01-01/20200101T000000_0000000000000002.json.gz");

        store.put(key, fileWith(new byte[] {1, 2, 3}));
        store.put(key, fileWith(new byte[] {4}));

        assertThat(read(key)).containsExactly(4);
    }

    @Test
    void leavesSourceFileUntouched() throws Exception {
        byte[] content = randomBytes(5000, 3);
        Path file = fileWith(content);

        store.put(new ObjectKey("dt=2020-01-01/20200101T000000_0000000000000003.json.gz"), file);

        assertThat(file).exists().hasBinaryContent(content);
    }

    @Test
    void missingSourceFileFailsWithStoreException() throws Exception {
        ObjectKey key = new ObjectKey("dt=2020-01-01/20200101T000000_0000000000000004.json.gz");

        assertThatThrownBy(() -> store.put(key, work.resolve("does-not-exist.json.gz")))
                .isInstanceOf(ObjectStoreException.class);
        assertThat(read(key)).isNull();
    }

    @Test
    void workingStoreIsAvailable() throws Exception {
        store.checkAvailable();
    }

    @Test
    void brokenStoreFailsWithStoreException() throws Exception {
        byte[] content = randomBytes(100, 4);
        Path file = fileWith(content);
        try (ObjectStore broken = newBrokenStore()) {
            ObjectKey key = new ObjectKey("dt=2020-01-01/20200101T000000_0000000000000005.json.gz");

            assertThatThrownBy(() -> broken.put(key, file)).isInstanceOf(ObjectStoreException.class);
            assertThatThrownBy(broken::checkAvailable).isInstanceOf(ObjectStoreException.class);
        }
        assertThat(file).hasBinaryContent(content);
    }
}
