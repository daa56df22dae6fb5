package io.s3logger.adapter.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3logger.domain.model.ObjectKey;
import io.s3logger.domain.port.out.ObjectStore;
import io.s3logger.domain.port.out.ObjectStoreContract;
import io.s3logger.domain.port.out.ObjectStoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class LocalDirectoryObjectStoreTest extends ObjectStoreContract {

    private Path root() {
        return work.resolve("store");
    }

    @Override
    protected ObjectStore newStore() {
        return new LocalDirectoryObjectStore(root());
    }

    @Override
    protected byte[] read(ObjectKey key) throws IOException {
        Path file = root().resolve(key.value());
        return Files.exists(file) ? Files.readAllBytes(file) : null;
    }

    @Override
    protected ObjectStore newBrokenStore() throws IOException {
        // A regular file where the root directory should be: nothing can be created under it.
        return new LocalDirectoryObjectStore(Files.writeString(work.resolve("not-a-directory"), "x"));
    }

    @Test
    void leavesNoTemporaryFileAfterSuccessOrFailure() throws Exception {
        ObjectKey key = new ObjectKey("dt=2020-01-01/20200101T000000_0000000000000010.json.gz");
        store().put(key, fileWith(new byte[] {1, 2}));
        assertThatThrownBy(() -> store().put(key, work.resolve("missing.json.gz")))
                .isInstanceOf(ObjectStoreException.class)
                .hasMessageContaining(key.value())
                .hasCauseInstanceOf(IOException.class);

        assertThat(filesUnder(root())).containsExactly(root().resolve(key.value()));
        assertThat(read(key)).containsExactly(1, 2);
    }

    @Test
    void rejectsKeyThatLeavesTheRoot() throws Exception {
        ObjectKey key = new ObjectKey("a/../../escaped.json.gz");

        assertThatThrownBy(() -> store().put(key, fileWith(new byte[] {1})))
                .isInstanceOf(ObjectStoreException.class)
                .hasMessageContaining("outside");
        assertThat(work.resolve("escaped.json.gz")).doesNotExist();
    }

    @Test
    void objectsAreOwnerOnly() throws Exception {
        ObjectKey key = new ObjectKey("dt=2020-01-01/20200101T000000_0000000000000011.json.gz");

        store().put(key, fileWith(new byte[] {1}));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root().resolve(key.value()))))
                .isEqualTo("rw-------");
    }

    @Test
    void checkAvailableCreatesTheRootAndLeavesItEmpty() throws Exception {
        assertThat(root()).doesNotExist();

        store().checkAvailable();

        assertThat(root()).isEmptyDirectory();
    }

    @Test
    void brokenStoreMessageNamesTheDirectory() throws Exception {
        try (ObjectStore broken = newBrokenStore()) {
            assertThatThrownBy(broken::checkAvailable)
                    .isInstanceOf(ObjectStoreException.class)
                    .hasMessageContaining(work.resolve("not-a-directory").toString())
                    .hasMessageContaining("not a writable directory");
        }
    }

    private static List<Path> filesUnder(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
