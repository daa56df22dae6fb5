package io.s3logger.adapter.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;
import org.slf4j.event.SubstituteLoggingEvent;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.SubstituteLogger;

/** Which engine a spool compresses with, and how loading ISA-L fails over to the JDK's zlib. */
class DeflateEngineChoiceTest {

    /** A logger that records its events (slf4j's own substitute logger, without a delegate). */
    private final Queue<SubstituteLoggingEvent> events = new ConcurrentLinkedQueue<>();
    private final SubstituteLogger log = new SubstituteLogger("test", events, false);

    @TempDir
    Path tmp;

    @Test
    void levels1And2UseIsaLWhereItLoadedWithoutAWord() {
        assertThat(DeflateEngine.choose(1, Optional.empty(), log)).isEqualTo(DeflateEngine.ISAL);
        assertThat(DeflateEngine.choose(2, Optional.empty(), log)).isEqualTo(DeflateEngine.ISAL);
        assertThat(events).isEmpty();
    }

    @Test
    void whenIsaLDidNotLoadLevel1UsesZlibAndLogsOneWarningWithTheReason() {
        DeflateEngine engine = DeflateEngine.choose(1, Optional.of("injected: the library does not load"), log);

        assertThat(engine).isEqualTo(DeflateEngine.ZLIB);
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(MessageFormatter.basicArrayFormat(event.getMessage(), event.getArgumentArray()))
                    .startsWith("Compressing with the JDK's zlib")
                    .endsWith(": injected: the library does not load");
        });
    }

    @Test
    void otherLevelsUseZlibWhetherOrNotIsaLLoaded() {
        for (int level : new int[] {0, 3, 6, 9}) {
            assertThat(DeflateEngine.choose(level, Optional.empty(), log)).isEqualTo(DeflateEngine.ZLIB);
            assertThat(DeflateEngine.choose(level, Optional.of("not loaded"), log)).isEqualTo(DeflateEngine.ZLIB);
        }
        assertThat(events).as("zlib is what these levels use anyway").isEmpty();
    }

    @Test
    void loadingGivesTheLoaderAFreshDirectoryAndDeletesItAfterwards() throws Exception {
        List<File> given = new ArrayList<>();
        Predicate<File> loader = dir -> {
            given.add(dir);
            try {
                Files.writeString(dir.toPath().resolve("libgkl_compression.so"), "extracted");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return true;
        };

        assertThat(Isal.load("Linux", "amd64", tmp, loader)).isEmpty();

        assertThat(given).singleElement().satisfies(dir -> assertThat(dir.toPath().getParent()).isEqualTo(tmp));
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).as("nothing left in java.io.tmpdir").isEmpty();
        }
    }

    @Test
    void onOtherSystemsTheLoaderIsNotEvenTried() {
        Predicate<File> loader = dir -> {
            throw new AssertionError("must not be called");
        };

        assertThat(Isal.load("Linux", "aarch64", tmp, loader)).get().asString().contains("Linux aarch64");
        assertThat(Isal.load("Mac OS X", "aarch64", tmp, loader)).get().asString().contains("x86-64 only");
        assertThat(Isal.load("Windows 11", "amd64", tmp, loader)).get().asString().contains("Windows 11 amd64");
        assertThat(Isal.load("Mac OS X", "x86_64", tmp.resolve("missing"), loader)).get().asString()
                .contains("java.io.tmpdir").contains("missing");
    }

    @Test
    void aLoaderThatFailsOrThrowsGivesAReason() throws Exception {
        assertThat(Isal.load("Linux", "amd64", tmp, dir -> false)).get().asString()
                .contains("could not load").contains("java.io.tmpdir");
        assertThat(Isal.load("Linux", "amd64", tmp, dir -> {
            throw new UnsatisfiedLinkError("failed to map segment from shared object");
        })).get().asString().contains("failed to map segment from shared object");
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).isEmpty();
        }
    }
}
