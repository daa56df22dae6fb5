package io.s3logger.adapter.fs;

import static io.s3logger.adapter.fs.GzipFiles.bytes;
import static io.s3logger.adapter.fs.GzipFiles.gunzip;
import static io.s3logger.adapter.fs.GzipFiles.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3logger.domain.model.SealedSegment;
import io.s3logger.domain.model.SegmentId;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Write failures (disk full, I/O errors) from the file channel under an open segment. */
class GzipOpenSegmentFailureTest {

    private static final SegmentId ID = new SegmentId(Instant.parse("2024-05-06T07:08:09Z"), 42);

    @TempDir
    Path work;

    private Path openFile;
    private Path finishedFile;
    private FlakyFileChannel channel;
    /** Compresses on the calling thread, so members are ready as soon as their block is full. */
    private final BlockCompressor compressor = new BlockCompressor(DeflateEngine.best(1), 1, Runnable::run, 4, BlockCompressor.BLOCK_BYTES);
    private GzipOpenSegment segment;

    @BeforeEach
    void createSegment() throws IOException {
        Path dir = Files.createDirectory(work.resolve("spool"));
        openFile = dir.resolve(ID.baseName() + ".json.gz.open");
        finishedFile = dir.resolve(ID.baseName() + ".json.gz");
        channel = new FlakyFileChannel(FileChannel.open(openFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
        segment = new GzipOpenSegment(ID, openFile, finishedFile, channel, compressor, SpoolFileSystem.REAL, () -> {});
    }

    @AfterEach
    void closeCompressor() {
        compressor.close();
    }

    @Test
    void failedWritesLoseNothingFlushedAndRetryWithoutDuplicates() throws Exception {
        append(lines(0, 10));
        segment.flush();
        long flushedSize = Files.size(openFile);

        channel.failWritesAfter(7); // a torn member: 7 bytes reach the file, then the disk is full
        append(lines(10, 10)); // taken into memory
        assertThatThrownBy(segment::flush).isInstanceOf(IOException.class).hasMessageContaining("No space left");
        byte[] retried = bytes(lines(20, 10));
        assertThatThrownBy(() -> segment.append(retried, 0, retried.length)).isInstanceOf(IOException.class);
        assertThat(segment.uncompressedBytes()).as("the failed append took nothing").isEqualTo(bytes(lines(0, 20)).length);
        assertThat(Files.size(openFile)).isEqualTo(flushedSize + 7);

        assertThat(recoverAfterCrash()).as("a crash now keeps the flushed lines").isEqualTo(lines(0, 10));

        channel.heal();
        segment.append(retried, 0, retried.length); // the caller retries the append that failed
        SealedSegment sealed = segment.seal();

        assertThat(gunzip(sealed.file())).isEqualTo(bytes(lines(0, 30)));
        assertThat(GzipSegmentSpoolTest.memberCount(sealed.file())).isEqualTo(3);
    }

    @Test
    void appendThatFindsAFullMemberUnwritableTakesNothing() throws Exception {
        byte[] big = new byte[2 * BlockCompressor.BLOCK_BYTES]; // two full blocks
        new java.util.Random(3).nextBytes(big);
        big[big.length - 1] = '\n';
        segment.append(big, 0, big.length); // compressed at once, written by the next call
        channel.failWritesAfter(0);

        byte[] next = bytes(lines(0, 1));
        assertThatThrownBy(() -> segment.append(next, 0, next.length)).isInstanceOf(IOException.class);
        assertThatThrownBy(segment::seal).isInstanceOf(IOException.class);
        assertThat(openFile).isEmptyFile();

        channel.heal();
        SealedSegment sealed = segment.seal();

        assertThat(gunzip(sealed.file())).isEqualTo(big);
    }

    @Test
    void sealThatCannotForceLeavesTheFileForRecoveryAndCanBeRetried() throws Exception {
        append(lines(0, 5));
        channel.failForce();

        assertThatThrownBy(segment::seal).isInstanceOf(IOException.class).hasMessageContaining("Input/output error");
        assertThat(openFile).exists();
        assertThat(finishedFile).doesNotExist();
        assertThat(recoverAfterCrash()).isEqualTo(lines(0, 5));

        channel.heal();
        SealedSegment sealed = segment.seal();

        assertThat(sealed.file()).isEqualTo(finishedFile);
        assertThat(openFile).doesNotExist();
        assertThat(gunzip(finishedFile)).isEqualTo(bytes(lines(0, 5)));
    }

    /** Copies the unfinished file as a crash would leave it and recovers it in another spool. */
    private List<String> recoverAfterCrash() throws IOException {
        Path crashDir = Files.createDirectories(work.resolve("crash-" + System.nanoTime()));
        Files.copy(openFile, crashDir.resolve(openFile.getFileName()));
        try (GzipSegmentSpool spool = GzipSegmentSpool.open(crashDir, 1)) {
            List<SealedSegment> recovered = spool.recover();
            if (recovered.isEmpty()) {
                return List.of();
            }
            assertThat(recovered).hasSize(1);
            List<String> lines = new ArrayList<>();
            for (String line : new String(gunzip(recovered.get(0).file()), java.nio.charset.StandardCharsets.UTF_8).split("(?<=\n)")) {
                lines.add(line);
            }
            return lines;
        }
    }

    private void append(List<String> lines) throws IOException {
        byte[] content = bytes(lines);
        segment.append(content, 0, content.length);
    }
}
