package io.s3logger.adapter.fs;

import static io.s3logger.adapter.fs.GzipFiles.bytes;
import static io.s3logger.adapter.fs.GzipFiles.gunzip;
import static io.s3logger.adapter.fs.GzipFiles.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.s3logger.domain.model.SealedSegment;
import io.s3logger.domain.model.SegmentId;
import io.s3logger.domain.port.out.OpenSegment;
import io.s3logger.domain.testing.LogEventGenerator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GzipSegmentSpoolTest {

    private static final SegmentId ID = new SegmentId(Instant.parse("2018-02-09T21:38:03Z"), 0xdf718a7818e53243L);

    @TempDir
    Path work;

    private Path dir;
    private GzipSegmentSpool spool;

    @BeforeEach
    void openSpool() throws IOException {
        dir = work.resolve("var/spool/s3logger");
        spool = GzipSegmentSpool.open(dir, 1);
    }

    @AfterEach
    void closeSpool() throws IOException {
        spool.close();
    }

    @Test
    void createsOwnerOnlyDirectoryAndSegmentFiles() throws Exception {
        assertThat(permissions(dir)).isEqualTo("rwx------");

        OpenSegment segment = spool.create(ID);
        Path openFile = dir.resolve("20180209T213803_df718a7818e53243.json.gz.open");
        assertThat(segment.id()).isEqualTo(ID);
        assertThat(openFile).exists();
        assertThat(permissions(openFile)).isEqualTo("rw-------");

        segment.append(bytes(lines(0, 1)), 0, bytes(lines(0, 1)).length);
        SealedSegment sealed = segment.seal();

        assertThat(sealed.file()).isEqualTo(dir.resolve("20180209T213803_df718a7818e53243.json.gz"));
        assertThat(permissions(sealed.file())).isEqualTo("rw-------");
    }

    @Test
    void sealRenamesToTheFinishedNameWithAllLines() throws Exception {
        OpenSegment segment = spool.create(ID);
        byte[] content = bytes(lines(0, 100));
        segment.append(content, 0, content.length);
        assertThat(segment.uncompressedBytes()).isEqualTo(content.length);

        SealedSegment sealed = segment.seal();

        assertThat(sealed.id()).isEqualTo(ID);
        assertThat(sealed.sizeBytes()).isEqualTo(Files.size(sealed.file()));
        assertThat(dir.resolve(ID.baseName() + ".json.gz.open")).doesNotExist();
        assertThat(gunzip(sealed.file())).isEqualTo(content);
        assertThatThrownBy(() -> segment.append(content, 0, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void flushedMembersReadAsOneStreamWithJavaAndWithGzipCommand() throws Exception {
        OpenSegment segment = spool.create(ID);
        List<String> all = lines(0, 30);
        append(segment, all.subList(0, 10));
        segment.flush();
        append(segment, all.subList(10, 20));
        segment.flush();
        append(segment, all.subList(20, 30));

        SealedSegment sealed = segment.seal();

        assertThat(memberCount(sealed.file())).isEqualTo(3);
        assertThat(gunzip(sealed.file())).isEqualTo(bytes(all));
        Optional<byte[]> viaGzip = GzipFiles.gzipCommand(sealed.file());
        if (viaGzip.isEmpty()) {
            System.err.println("SKIPPED the gzip -dc check: no gzip command on the PATH");
        } else {
            assertThat(viaGzip.get()).isEqualTo(bytes(all));
        }
    }

    @Test
    void flushMakesLinesReadableInTheOpenFileAndDoesNothingWithoutNewLines() throws Exception {
        OpenSegment segment = spool.create(ID);
        Path openFile = dir.resolve(ID.baseName() + ".json.gz.open");
        append(segment, lines(0, 5));
        assertThat(openFile).isEmptyFile(); // still in memory

        segment.flush();
        long size = Files.size(openFile);
        segment.flush();
        segment.flush();

        assertThat(gunzip(openFile)).isEqualTo(bytes(lines(0, 5)));
        assertThat(Files.size(openFile)).isEqualTo(size);
        assertThat(memberCount(openFile)).isEqualTo(1);
    }

    @Test
    void theSpoolSaysHowItCompresses() throws Exception {
        try (GzipSegmentSpool levelOne = GzipSegmentSpool.open(work.resolve("level-1"), 1, 1);
                GzipSegmentSpool levelSix = GzipSegmentSpool.open(work.resolve("level-6"), 6, 2)) {
            String fast = Isal.isLoaded() ? "ISA-L (Intel GKL)" : "the JDK's zlib";

            assertThat(levelOne.compression()).isEqualTo("gzip level 1 with " + fast + " on 1 thread");
            assertThat(levelSix.compression()).as("ISA-L serves levels 1 and 2 only")
                    .isEqualTo("gzip level 6 with the JDK's zlib on 2 threads");
        }
    }

    /** The fallback runs here too: each engine through the real spool, read back by gzip and Java. */
    @ParameterizedTest
    @EnumSource(value = DeflateEngine.class, names = {"ISAL", "ZLIB"})
    void eachEngineWritesSegmentsThatGzipReads(DeflateEngine engine) throws Exception {
        assumeThat(engine.isAvailable()).as(engine + " loads here").isTrue();
        byte[] data = LogEventGenerator.generate(3 * BlockCompressor.BLOCK_BYTES + 12_345, 5).bytes();
        Path engineDir = work.resolve(engine.name());
        try (GzipSegmentSpool forced = GzipSegmentSpool.open(engineDir, 1, 2, engine, SpoolFileSystem.REAL)) {
            assertThat(forced.compression()).isEqualTo("gzip level 1 with " + engine.displayName() + " on 2 threads");
            OpenSegment segment = forced.create(ID);
            for (int offset = 0; offset < data.length; offset += 64 * 1024) {
                segment.append(data, offset, Math.min(64 * 1024, data.length - offset));
                if (offset == 128 * 1024) {
                    segment.flush(); // a small member between full ones
                }
            }
            SealedSegment sealed = segment.seal();

            assertThat(gunzip(sealed.file())).isEqualTo(data);
            GzipFiles.gzipCommand(sealed.file()).ifPresent(viaGzip -> assertThat(viaGzip).isEqualTo(data));
            assertThat(memberCount(sealed.file())).as("192 KiB, 1 MiB, 1 MiB, the rest").isEqualTo(4);
        }
    }

    @Test
    void largeAppendsAreWrittenInMembersWithoutFlushKeepingAtMostTheBoundInMemory() throws Exception {
        Path oneThreadDir = work.resolve("one-thread");
        try (GzipSegmentSpool oneThread = GzipSegmentSpool.open(oneThreadDir, 1, 1)) {
            OpenSegment segment = oneThread.create(ID);
            Path openFile = oneThreadDir.resolve(ID.baseName() + ".json.gz.open");
            byte[] chunk = new byte[64 * 1024];
            Random random = new Random(7);
            byte[] expected = new byte[8 * BlockCompressor.BLOCK_BYTES];
            for (int offset = 0; offset < expected.length; offset += chunk.length) {
                random.nextBytes(chunk); // incompressible: a member is at least as large as its block
                System.arraycopy(chunk, 0, expected, offset, chunk.length);
                segment.append(chunk, 0, chunk.length);
            }

            // One thread: 2 blocks in flight, plus the one being filled, may still be in memory.
            long inMemoryAtMost = 3L * BlockCompressor.BLOCK_BYTES;
            assertThat(Files.size(openFile)).isGreaterThanOrEqualTo(expected.length - inMemoryAtMost);
            SealedSegment sealed = segment.seal();
            assertThat(segment.uncompressedBytes()).isEqualTo(expected.length);
            assertThat(gunzip(sealed.file())).isEqualTo(expected);
            assertThat(memberCount(sealed.file())).isEqualTo(8);
        }
    }

    @Test
    void sealWithoutLinesGivesAValidEmptyGzipFile() throws Exception {
        SealedSegment sealed = spool.create(ID).seal();

        assertThat(gunzip(sealed.file())).isEmpty();
        assertThat(sealed.sizeBytes()).isPositive();
    }

    @Test
    void refusesASegmentIdThatExists() throws Exception {
        spool.create(ID).seal();

        assertThatThrownBy(() -> spool.create(ID)).isInstanceOf(FileAlreadyExistsException.class);
        SegmentId other = new SegmentId(ID.createdAt(), 1);
        spool.create(other);
        assertThatThrownBy(() -> spool.create(other)).isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void secondSpoolOnTheSameDirectoryIsRefusedUntilTheFirstCloses() throws Exception {
        assertThatThrownBy(() -> GzipSegmentSpool.open(dir, 1))
                .isInstanceOf(SpoolLockedException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("in use by another s3logger process");

        spool.close();
        spool.close();
        assertThatThrownBy(() -> spool.create(ID)).isInstanceOf(IllegalStateException.class);
        spool = GzipSegmentSpool.open(dir, 1);
        assertThat(spool.recover()).isEmpty();
    }

    @Test
    void spoolLockedByAnotherProcessIsRefused() throws Exception {
        Path shared = work.resolve("shared");
        Process holder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        HoldSpoolLock.class.getName(),
                        shared.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo(HoldSpoolLock.READY);

            assertThatThrownBy(() -> GzipSegmentSpool.open(shared, 1))
                    .isInstanceOf(SpoolLockedException.class)
                    .hasMessageContaining("in use by another s3logger process");

            holder.getOutputStream().close(); // tells the holder to release and exit
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(holder.exitValue()).isZero();
        } finally {
            holder.destroy();
        }
        GzipSegmentSpool.open(shared, 1).close();
    }

    @Test
    void aSpoolDirectoryRemovedUnderAnOpenSegmentIsMadeAgainAndNothingWrittenIsLost() throws Exception {
        OpenSegment segment = spool.create(ID);
        append(segment, lines(0, 10));
        segment.flush();
        deleteTree(dir); // an operator's rm -rf; the open file lives on, unlinked

        append(segment, lines(10, 10));
        segment.flush(); // writes the file again under its name, in a directory made again
        assertThat(permissions(dir)).isEqualTo("rwx------");
        assertThat(gunzip(dir.resolve(ID.baseName() + ".json.gz.open"))).as("what a crash now finds").isEqualTo(bytes(lines(0, 20)));
        assertThat(gunzip(segment.seal().file())).isEqualTo(bytes(lines(0, 20)));
        deleteTree(dir);
        OpenSegment next = spool.create(new SegmentId(ID.createdAt(), 7)); // creates the directory again
        append(next, lines(20, 1));

        assertThat(gunzip(next.seal().file())).isEqualTo(bytes(lines(20, 1)));
    }

    @Test
    void recoverReturnsFinishedSegmentsOldestFirst() throws Exception {
        List<SegmentId> ids = List.of(
                new SegmentId(Instant.parse("2020-01-01T00:00:10Z"), 5),
                new SegmentId(Instant.parse("2020-01-01T00:00:00Z"), 9),
                new SegmentId(Instant.parse("2020-01-01T00:00:10Z"), 1),
                new SegmentId(Instant.parse("2019-12-31T23:59:59Z"), -1));
        for (SegmentId id : ids) {
            OpenSegment segment = spool.create(id);
            append(segment, lines(0, 1));
            segment.seal();
        }
        reopen();

        List<SealedSegment> recovered = spool.recover();

        assertThat(recovered).extracting(SealedSegment::id).containsExactly(ids.get(3), ids.get(1), ids.get(2), ids.get(0));
        for (SealedSegment segment : recovered) {
            assertThat(segment.sizeBytes()).isEqualTo(Files.size(segment.file()));
            assertThat(gunzip(segment.file())).isEqualTo(bytes(lines(0, 1)));
        }
    }

    @Test
    void recoverSalvagesCompleteLinesAndDropsATornLastLine() throws Exception {
        OpenSegment segment = spool.create(ID);
        append(segment, lines(0, 10));
        segment.flush();
        byte[] torn = (lines(10, 1).get(0) + "{\"n\":11,\"msg\":\"cut her").getBytes(StandardCharsets.UTF_8);
        segment.append(torn, 0, torn.length);
        segment.flush();
        reopen(); // a crash: the segment is never sealed

        List<SealedSegment> recovered = spool.recover();

        assertThat(recovered).hasSize(1);
        assertThat(recovered.get(0).id()).isEqualTo(ID);
        assertThat(recovered.get(0).file()).isEqualTo(dir.resolve(ID.baseName() + ".json.gz"));
        assertThat(gunzip(recovered.get(0).file())).isEqualTo(bytes(lines(0, 11)));
        assertThat(permissions(recovered.get(0).file())).isEqualTo("rw-------");
        assertThat(dir.resolve(ID.baseName() + ".json.gz.open")).doesNotExist();
        assertThat(spool.recover()).isEqualTo(recovered);
    }

    @Test
    void aTruncatedFinishedSegmentIsSalvagedAndCountedAndAWholeOneIsLeftAsItIs() throws Exception {
        SegmentId whole = new SegmentId(ID.createdAt(), 1);
        SegmentId damaged = new SegmentId(ID.createdAt(), 2);
        List<String> all = lines(0, 80_000); // several members
        for (SegmentId id : List.of(whole, damaged)) {
            OpenSegment segment = spool.create(id);
            append(segment, all);
            segment.seal();
        }
        Path damagedFile = dir.resolve(damaged.baseName() + ".json.gz");
        byte[] wholeBytes = Files.readAllBytes(dir.resolve(whole.baseName() + ".json.gz"));
        try (var channel = java.nio.channels.FileChannel.open(damagedFile, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 1000); // a copy or a disk that lost the end
        }
        reopen();

        List<SealedSegment> recovered = spool.recover();

        assertThat(recovered).extracting(SealedSegment::id).containsExactly(whole, damaged);
        assertThat(Files.readAllBytes(recovered.get(0).file())).as("left as it was").isEqualTo(wholeBytes);
        List<String> kept = splitLines(gunzip(damagedFile));
        assertThat(kept).as("complete lines kept, a prefix").isNotEmpty().isEqualTo(all.subList(0, kept.size()));
        assertThat(kept.size()).isLessThan(all.size());
        assertThat(recovered.get(1).sizeBytes()).isEqualTo(Files.size(damagedFile));
        assertThat(spool.spoolStatus().damagedSegments()).isEqualTo(1);
        assertThat(memberCount(damagedFile)).isPositive();
        try (var files = Files.list(dir)) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactlyInAnyOrder(".lock",
                    whole.baseName() + ".json.gz", damaged.baseName() + ".json.gz");
        }
    }

    @Test
    void truncationAtEveryByteKeepsAPrefixOfTheLinesAndNeverThrows() throws Exception {
        List<String> all = lines(0, 12);
        OpenSegment segment = spool.create(ID);
        List<Integer> linesAtMemberEnd = new ArrayList<>();
        List<Long> memberEnds = new ArrayList<>();
        Path openFile = dir.resolve(ID.baseName() + ".json.gz.open");
        for (int i = 0; i < all.size(); i += 3) {
            append(segment, all.subList(i, i + 3));
            segment.flush();
            linesAtMemberEnd.add(i + 3);
            memberEnds.add(Files.size(openFile));
        }
        byte[] file = Files.readAllBytes(openFile);
        reopen();
        Files.delete(openFile);
        Path finished = dir.resolve(ID.baseName() + ".json.gz");

        for (int length = 0; length <= file.length; length++) {
            Files.write(openFile, java.util.Arrays.copyOf(file, length));

            List<SealedSegment> recovered = spool.recover();

            List<String> kept = recovered.isEmpty() ? List.of() : splitLines(gunzip(finished));
            assertThat(kept).as("lines kept from the first %d bytes", length).isEqualTo(all.subList(0, kept.size()));
            int member = memberEnds.indexOf((long) length);
            if (member >= 0) {
                assertThat(kept).as("lines kept from %d bytes, a member end", length).hasSize(linesAtMemberEnd.get(member));
            }
            assertThat(recovered).hasSize(kept.isEmpty() ? 0 : 1);
            assertThat(openFile).doesNotExist();
            Files.deleteIfExists(finished);
        }
    }

    @Test
    void unfinishedSegmentWithoutACompleteLineIsDeleted() throws Exception {
        OpenSegment empty = spool.create(ID);
        SegmentId tornId = new SegmentId(ID.createdAt(), 2);
        OpenSegment torn = spool.create(tornId);
        byte[] partial = "{\"never\":\"ended".getBytes(StandardCharsets.UTF_8);
        torn.append(partial, 0, partial.length);
        torn.flush();
        reopen();

        assertThat(spool.recover()).isEmpty();

        assertThat(dir).isDirectoryNotContaining("glob:**.json.gz*");
        assertThat(empty.uncompressedBytes()).isZero();
    }

    @Test
    void filesThatAreNotSegmentsAreLeftAlone() throws Exception {
        List<String> strangers = List.of(
                "notes.txt", "garbage.json.gz", "2018-02-09.json.gz.open", "20180209T213803_DF718A7818E53243.json.gz");
        for (String name : strangers) {
            Files.writeString(dir.resolve(name), "not gzip");
        }
        Files.createDirectory(dir.resolve("sub.json.gz"));

        assertThat(spool.recover()).isEmpty();

        for (String name : strangers) {
            assertThat(dir.resolve(name)).hasContent("not gzip");
        }
        assertThat(dir.resolve("sub.json.gz")).isDirectory();
    }

    @Test
    void leftoverOfAnInterruptedSalvageIsCleanedAndTheSegmentSalvagedAgain() throws Exception {
        OpenSegment segment = spool.create(ID);
        append(segment, lines(0, 4));
        segment.flush();
        reopen();
        Files.writeString(dir.resolve(ID.baseName() + ".json.gz.salvage"), "half written");
        // A salvage interrupted after its rename: the finished file and the unfinished one both exist.
        Files.copy(dir.resolve(ID.baseName() + ".json.gz.open"), dir.resolve(ID.baseName() + ".json.gz"));

        List<SealedSegment> recovered = spool.recover();

        assertThat(recovered).hasSize(1);
        assertThat(gunzip(recovered.get(0).file())).isEqualTo(bytes(lines(0, 4)));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(".lock", ID.baseName() + ".json.gz");
        }
    }

    @Test
    void aSegmentThatCannotBeSalvagedStaysForTheNextStartAndTheOthersAreRecovered() throws Exception {
        SegmentId blocked = new SegmentId(ID.createdAt(), 3);
        OpenSegment unfinished = spool.create(blocked);
        append(unfinished, lines(0, 2));
        unfinished.flush();
        OpenSegment other = spool.create(ID);
        append(other, lines(2, 2));
        SealedSegment sealed = other.seal();
        reopen();
        // A non-empty directory under the finished name: the salvage's rename must fail.
        Path obstacle = Files.createDirectories(dir.resolve(blocked.baseName() + ".json.gz").resolve("x"));
        byte[] unfinishedBytes = Files.readAllBytes(dir.resolve(blocked.baseName() + ".json.gz.open"));

        assertThat(spool.recover()).containsExactly(sealed);

        assertThat(dir.resolve(blocked.baseName() + ".json.gz.open")).hasBinaryContent(unfinishedBytes);
        assertThat(dir.resolve(blocked.baseName() + ".json.gz.salvage")).doesNotExist();
        Files.delete(obstacle);
        Files.delete(obstacle.getParent());
        List<SealedSegment> recovered = spool.recover();
        assertThat(recovered).extracting(SealedSegment::id).containsExactly(blocked, ID); // same second: unsigned random order
        assertThat(gunzip(recovered.get(0).file())).isEqualTo(bytes(lines(0, 2)));
    }

    @Test
    void recoverLeavesTheSegmentsOfThisSpoolBeingWrittenAlone() throws Exception {
        OpenSegment segment = spool.create(ID);
        append(segment, lines(0, 2));
        segment.flush();

        assertThat(spool.recover()).isEmpty();

        append(segment, lines(2, 2));
        SealedSegment sealed = segment.seal();
        assertThat(gunzip(sealed.file())).isEqualTo(bytes(lines(0, 4)));
        assertThat(spool.recover()).containsExactly(sealed);
    }

    @Test
    void deleteRemovesTheFileAndToleratesAMissingOne() throws Exception {
        OpenSegment segment = spool.create(ID);
        append(segment, lines(0, 1));
        SealedSegment sealed = segment.seal();

        spool.delete(sealed);
        spool.delete(sealed);

        assertThat(sealed.file()).doesNotExist();
        assertThat(spool.recover()).isEmpty();
    }

    @Test
    void closeStopsTheCompressionThreadsAndOpenSegmentsThenFail() throws Exception {
        Path otherDir = work.resolve("pool");
        GzipSegmentSpool twoThreads = GzipSegmentSpool.open(otherDir, 1, 2);
        String threadName = GzipSegmentSpool.compressorThreadName(otherDir.toAbsolutePath().normalize());
        OpenSegment segment = twoThreads.create(ID);
        byte[] content = new byte[3 * BlockCompressor.BLOCK_BYTES]; // three blocks for the pool
        segment.append(content, 0, content.length);
        segment.flush();
        assertThat(liveThreadsNamed(threadName)).isPositive();

        twoThreads.close();

        await().atMost(Duration.ofSeconds(10)).until(() -> liveThreadsNamed(threadName) == 0);
        segment.append(content, 0, 10);
        assertThatThrownBy(segment::flush).isInstanceOf(IOException.class);
        assertThat(gunzip(otherDir.resolve(ID.baseName() + ".json.gz.open"))).as("flushed bytes stay").isEqualTo(content);
    }

    @Test
    void rejectsANegativeNumberOfCompressionThreads() {
        assertThatThrownBy(() -> GzipSegmentSpool.open(work.resolve("other"), 1, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsAnInvalidCompressionLevel() {
        assertThatThrownBy(() -> GzipSegmentSpool.open(work.resolve("other"), 10))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private void reopen() throws IOException {
        spool.close();
        spool = GzipSegmentSpool.open(dir, 1);
    }

    private static void append(OpenSegment segment, List<String> lines) throws IOException {
        byte[] content = bytes(lines);
        segment.append(content, 0, content.length);
    }

    private static List<String> splitLines(byte[] content) {
        List<String> lines = new ArrayList<>();
        String text = new String(content, StandardCharsets.UTF_8);
        int start = 0;
        for (int end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
            lines.add(text.substring(start, end + 1));
            start = end + 1;
        }
        assertThat(start).as("content ends with a complete line").isEqualTo(text.length());
        return lines;
    }

    static int memberCount(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            GzipMemberReader.Outcome outcome = new GzipMemberReader(in).readTo((b, o, l) -> {});
            assertThat(outcome.clean()).as("clean gzip stream: %s", outcome.problem()).isTrue();
            return outcome.completeMembers();
        }
    }

    private static long liveThreadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix))
                .count();
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
