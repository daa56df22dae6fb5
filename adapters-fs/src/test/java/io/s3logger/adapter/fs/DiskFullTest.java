package io.s3logger.adapter.fs;

import static io.s3logger.adapter.fs.GzipFiles.gunzip;
import static org.assertj.core.api.Assertions.assertThat;

import io.s3logger.domain.model.SealedSegment;
import io.s3logger.domain.model.SegmentId;
import io.s3logger.domain.port.out.OpenSegment;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: a 2 MiB tmpfs, filled up by another file, until the spool's writes fail with
 * ENOSPC; then space is freed and the same calls are retried, the way the writer does. Mounting
 * needs root; where it fails, the same scenario runs against an in-process channel that fails
 * like a full disk, and the output says which variant ran.
 */
class DiskFullTest {

    private static final SegmentId ID = new SegmentId(Instant.parse("2024-05-06T07:08:09Z"), 99);
    private static final int FS_BYTES = 2 * 1024 * 1024;
    /** Space left to the spool once the filler is written: room for a few flushes. */
    private static final int SPOOL_ROOM_BYTES = 192 * 1024;

    @TempDir
    Path work;

    private Path mountPoint;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
        if (mountPoint != null && run("umount", mountPoint.toString()) != 0) {
            run("umount", "-l", mountPoint.toString());
        }
    }

    @Test
    void linesFlushedBeforeTheDiskFilledSurviveAndRetriesAfterFreeingSpaceStoreEveryLineOnce() throws Exception {
        Path small = Files.createDirectory(work.resolve("small"));
        Path filler = small.resolve("filler");
        Path openFile;
        OpenSegment segment;
        Runnable freeSpace;
        if (run("mount", "-t", "tmpfs", "-o", "size=" + FS_BYTES, "tmpfs", small.toString()) == 0) {
            mountPoint = small;
            System.out.println("DiskFullTest: variant REAL tmpfs of " + FS_BYTES + " bytes at " + small);
            try (OutputStream out = Files.newOutputStream(filler)) {
                out.write(new byte[FS_BYTES - SPOOL_ROOM_BYTES]);
            }
            GzipSegmentSpool spool = GzipSegmentSpool.open(small.resolve("spool"), 1, 2);
            toClose.add(spool);
            segment = spool.create(ID);
            openFile = small.resolve("spool").resolve(ID.baseName() + ".json.gz.open");
            freeSpace = () -> delete(filler);
        } else {
            System.out.println("DiskFullTest: variant IN-PROCESS failing channel (cannot mount a tmpfs here: not root"
                    + " or no mount permission); the spool gets " + SPOOL_ROOM_BYTES + " writable bytes");
            Path dir = Files.createDirectory(small.resolve("spool"));
            openFile = dir.resolve(ID.baseName() + ".json.gz.open");
            FlakyFileChannel channel = new FlakyFileChannel(
                    FileChannel.open(openFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
            channel.failWritesAfter(SPOOL_ROOM_BYTES);
            BlockCompressor compressor = BlockCompressor.withThreads(DeflateEngine.best(1), 1, 2, "disk-full-test-");
            toClose.add(compressor);
            segment = new GzipOpenSegment(ID, openFile, dir.resolve(ID.baseName() + ".json.gz"), channel, compressor, SpoolFileSystem.REAL, () -> {});
            freeSpace = channel::heal;
        }

        SplittableRandom random = new SplittableRandom(5);
        StringBuilder appended = new StringBuilder();
        int flushedChars = 0;
        byte[] failedBatch = null;
        IOException failure = null;
        for (int batch = 0; failure == null && batch < 10_000; batch++) {
            byte[] bytes = batch(random, batch);
            try {
                segment.append(bytes, 0, bytes.length);
            } catch (IOException e) {
                failedBatch = bytes; // taken nothing: the writer retries the same bytes
                failure = e;
                break;
            }
            appended.append(new String(bytes, StandardCharsets.UTF_8));
            try {
                segment.flush();
                flushedChars = appended.length();
            } catch (IOException e) {
                failure = e;
            }
        }
        assertThat(failure).as("the disk filled up").isNotNull();
        assertThat(failure.getMessage()).contains("No space left on device");
        System.out.println("DiskFullTest: failed after " + flushedChars + " flushed chars: " + failure);

        String afterCrash = recoverCopy(openFile);
        assertThat(appended.toString()).as("recovery keeps a prefix of the lines").startsWith(afterCrash);
        assertThat(afterCrash.length()).as("every flushed line is recoverable").isGreaterThanOrEqualTo(flushedChars);

        freeSpace.run();
        if (failedBatch != null) {
            segment.append(failedBatch, 0, failedBatch.length);
            appended.append(new String(failedBatch, StandardCharsets.UTF_8));
        }
        segment.flush();
        byte[] last = batch(random, -1);
        segment.append(last, 0, last.length);
        appended.append(new String(last, StandardCharsets.UTF_8));
        SealedSegment sealed = segment.seal();

        assertThat(new String(gunzip(sealed.file()), StandardCharsets.UTF_8))
                .as("every line exactly once, in order")
                .isEqualTo(appended.toString());
    }

    /** About 8 KiB of distinct, poorly compressible lines, so the small disk fills after a few flushes. */
    private static byte[] batch(SplittableRandom random, int number) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; lines.length() < 8 * 1024; i++) {
            lines.append("{\"batch\":").append(number).append(",\"i\":").append(i).append(",\"noise\":\"");
            for (int k = 0; k < 8; k++) {
                lines.append(Long.toHexString(random.nextLong()));
            }
            lines.append("\"}\n");
        }
        return lines.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Recovers a copy of the unfinished file, as after a crash, in a directory outside the small disk. */
    private String recoverCopy(Path openFile) throws IOException {
        Path crashDir = Files.createDirectories(work.resolve("crash"));
        Files.copy(openFile, crashDir.resolve(openFile.getFileName()));
        try (GzipSegmentSpool spool = GzipSegmentSpool.open(crashDir, 1, 1)) {
            List<SealedSegment> recovered = spool.recover();
            return recovered.isEmpty() ? "" : new String(gunzip(recovered.get(0).file()), StandardCharsets.UTF_8);
        }
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return -1; // no such command
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        if (process.exitValue() != 0 && !output.isEmpty()) {
            System.out.println("DiskFullTest: " + String.join(" ", command) + ": " + output);
        }
        return process.exitValue();
    }
}
