package io.s3logger.adapter.fs;

import static io.s3logger.adapter.fs.GzipFiles.bytes;
import static io.s3logger.adapter.fs.GzipFiles.gunzip;
import static io.s3logger.adapter.fs.GzipFiles.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.s3logger.domain.model.SealedSegment;
import io.s3logger.domain.model.SegmentId;
import io.s3logger.domain.port.out.OpenSegment;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The parallel compression pipeline: ordering, waiting, failures of the compressor, crashes. */
class GzipOpenSegmentPipelineTest {

    private static final SegmentId ID = new SegmentId(Instant.parse("2024-05-06T07:08:09Z"), 7);
    /** Small blocks, so a few lines make several members. */
    private static final int BLOCK_BYTES = 1000;

    @TempDir
    Path work;

    private Path openFile;
    private Path finishedFile;

    @BeforeEach
    void names() throws IOException {
        Path dir = Files.createDirectory(work.resolve("spool"));
        openFile = dir.resolve(ID.baseName() + ".json.gz.open");
        finishedFile = dir.resolve(ID.baseName() + ".json.gz");
    }

    @Test
    void membersCompressedOutOfOrderAreWrittenInAppendOrder() throws Exception {
        HeldTasks tasks = new HeldTasks();
        GzipOpenSegment segment = segment(new BlockCompressor(DeflateEngine.best(1), 1, tasks, 8, BLOCK_BYTES));
        byte[] content = bytes(lines(0, 200)); // about 5.5 blocks
        appendInPieces(segment, content, 97);
        int blocks = content.length / BLOCK_BYTES;
        assertThat(tasks.count()).isEqualTo(blocks);

        tasks.runNewestFirst(blocks - 1); // every block but the oldest is compressed, newest first
        segment.append(content, 0, 0);
        assertThat(openFile).as("nothing is written while the oldest block is not compressed").isEmptyFile();

        tasks.runNewestFirst(1);
        segment.append(content, 0, 0);
        assertThat(GzipSegmentSpoolTest.memberCount(openFile)).isEqualTo(blocks);
        assertThat(gunzip(openFile)).isEqualTo(Arrays.copyOf(content, blocks * BLOCK_BYTES));

        tasks.runFromNowOn();
        SealedSegment sealed = segment.seal();
        assertThat(gunzip(sealed.file())).isEqualTo(content);
        assertThat(GzipSegmentSpoolTest.memberCount(sealed.file())).isEqualTo(blocks + 1);
    }

    @Test
    void flushWaitsForEveryBlockInFlightAndWritesThemInOrder() throws Exception {
        HeldTasks tasks = new HeldTasks();
        GzipOpenSegment segment = segment(new BlockCompressor(DeflateEngine.best(1), 1, tasks, 8, BLOCK_BYTES));
        byte[] content = bytes(lines(0, 150));
        appendInPieces(segment, content, 300);
        int fullBlocks = content.length / BLOCK_BYTES;

        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread flusher = Thread.ofPlatform().name("flusher").start(() -> {
            try {
                segment.flush();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        // The partly filled block is submitted too; then flush waits for the oldest block.
        await().atMost(Duration.ofSeconds(10)).until(() -> tasks.count() == fullBlocks + 1
                && flusher.getState() == Thread.State.WAITING);
        assertThat(flusher.isAlive()).isTrue();
        assertThat(openFile).isEmptyFile();

        tasks.runNewestFirst(tasks.count());
        flusher.join(Duration.ofSeconds(10));

        assertThat(flusher.isAlive()).as("flush returned").isFalse();
        assertThat(failure.get()).isNull();
        assertThat(gunzip(openFile)).as("the file holds everything appended").isEqualTo(content);
        assertThat(GzipSegmentSpoolTest.memberCount(openFile)).isEqualTo(fullBlocks + 1);
    }

    @Test
    void compressionThatFailsSurfacesAsIOExceptionAndLosesNoLine() throws Exception {
        HeldTasks tasks = new HeldTasks();
        tasks.runFromNowOn();
        GzipOpenSegment segment = segment(new BlockCompressor(DeflateEngine.best(1), 1, tasks, 8, BLOCK_BYTES));
        byte[] first = bytes(lines(0, 50)); // fills at least one block
        byte[] second = bytes(lines(50, 10));

        tasks.rejectNext(1);
        segment.append(first, 0, first.length); // takes the bytes; the block's compression fails
        assertThatThrownBy(() -> segment.append(second, 0, second.length))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("compressing a block")
                .hasCauseInstanceOf(RejectedExecutionException.class);
        assertThat(segment.uncompressedBytes()).as("the failed append took nothing").isEqualTo(first.length);

        segment.append(second, 0, second.length); // the caller's retry: the block was compressed again
        tasks.rejectNext(1);
        assertThatThrownBy(segment::flush).isInstanceOf(IOException.class);
        SealedSegment sealed = segment.seal();

        assertThat(gunzip(sealed.file())).isEqualTo(bytes(lines(0, 60)));
    }

    @Test
    void closedCompressorFailsTheNextCallWithIOException() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        BlockCompressor compressor = new BlockCompressor(DeflateEngine.best(1), 1, pool, 2, BLOCK_BYTES);
        GzipOpenSegment segment = segment(compressor);
        byte[] content = bytes(lines(0, 10));
        segment.append(content, 0, content.length);
        segment.flush();

        compressor.close();

        assertThat(pool.isTerminated()).isTrue();
        segment.append(content, 0, content.length); // in memory only
        assertThatThrownBy(segment::flush).isInstanceOf(IOException.class).hasCauseInstanceOf(RejectedExecutionException.class);
        assertThat(gunzip(openFile)).as("flushed lines stay").isEqualTo(content);
    }

    /**
     * Another thread copies the file while it is written, as a crash would leave it at that
     * moment: every copy recovers a prefix of the lines, with at least the lines flushed before.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void crashCopiesAtArbitraryMomentsRecoverAPrefixOfTheLines(long seed) throws Exception {
        Random random = new Random(seed);
        List<String> all = lines(0, 4000);
        BlockingQueue<Integer> copyRequests = new LinkedBlockingQueue<>(); // lines flushed when asked
        List<Path> copies = new ArrayList<>();
        List<Integer> flushedBeforeCopy = new ArrayList<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicReference<Throwable> copierFailure = new AtomicReference<>();
        Thread copier = Thread.ofPlatform().name("crash-copier").start(() -> {
            try {
                while (writing.get() || !copyRequests.isEmpty()) {
                    Integer flushed = copyRequests.poll(10, TimeUnit.MILLISECONDS);
                    if (flushed != null) {
                        Path copy = Files.createDirectories(work.resolve("crash-" + copies.size()))
                                .resolve(openFile.getFileName());
                        Files.copy(openFile, copy);
                        copies.add(copy);
                        flushedBeforeCopy.add(flushed);
                    }
                }
            } catch (Throwable e) {
                copierFailure.set(e);
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (BlockCompressor compressor = new BlockCompressor(DeflateEngine.best(1), 1, pool, 4, 4096)) {
            GzipOpenSegment segment = segment(compressor);
            int appended = 0;
            int flushed = 0;
            while (appended < all.size()) {
                int count = Math.min(1 + random.nextInt(60), all.size() - appended);
                append(segment, all.subList(appended, appended + count));
                appended += count;
                if (random.nextInt(4) == 0) {
                    segment.flush();
                    flushed = appended;
                }
                if (random.nextInt(6) == 0) {
                    copyRequests.add(flushed); // copied while this thread goes on writing
                }
            }
            writing.set(false);
            copier.join(Duration.ofSeconds(30));
            assertThat(copierFailure.get()).isNull();
            assertThat(copies).hasSizeGreaterThan(10);
            for (int i = 0; i < copies.size(); i++) {
                // The same moment with the last write torn at a random byte.
                byte[] copied = Files.readAllBytes(copies.get(i));
                Path torn = Files.createDirectories(work.resolve("torn-" + i)).resolve(openFile.getFileName());
                Files.write(torn, Arrays.copyOf(copied, random.nextInt(copied.length + 1)));

                List<String> recovered = recover(copies.get(i).getParent());
                assertThat(recovered).as("copy %d", i).isEqualTo(all.subList(0, recovered.size()));
                assertThat(recovered.size()).as("copy %d keeps the flushed lines", i).isGreaterThanOrEqualTo(flushedBeforeCopy.get(i));
                List<String> recoveredTorn = recover(torn.getParent());
                assertThat(recoveredTorn).as("torn copy %d", i).isEqualTo(all.subList(0, recoveredTorn.size()));
            }
            assertThat(gunzip(segment.seal().file())).isEqualTo(bytes(all));
        } finally {
            writing.set(false);
        }
    }

    private GzipOpenSegment segment(BlockCompressor compressor) throws IOException {
        FileChannel channel = FileChannel.open(openFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return new GzipOpenSegment(ID, openFile, finishedFile, channel, compressor, SpoolFileSystem.REAL, () -> {});
    }

    private static void appendInPieces(OpenSegment segment, byte[] content, int piece) throws IOException {
        for (int offset = 0; offset < content.length; offset += piece) {
            segment.append(content, offset, Math.min(piece, content.length - offset));
        }
    }

    private static void append(OpenSegment segment, List<String> lines) throws IOException {
        byte[] content = bytes(lines);
        segment.append(content, 0, content.length);
    }

    private static List<String> recover(Path dir) throws IOException {
        try (GzipSegmentSpool spool = GzipSegmentSpool.open(dir, 1, 1)) {
            List<SealedSegment> recovered = spool.recover();
            if (recovered.isEmpty()) {
                return List.of();
            }
            assertThat(recovered).hasSize(1);
            return List.of(new String(gunzip(recovered.get(0).file()), StandardCharsets.UTF_8).split("(?<=\n)"));
        }
    }
}
