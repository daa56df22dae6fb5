package io.s3logger.adapter.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.s3logger.domain.testing.LogEventGenerator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every deflate engine writes standard, self-contained gzip members that gzip itself reads. */
class GzipMemberEncoderTest {

    private static final byte[] LOG_DATA = LogEventGenerator.generate(BlockCompressor.BLOCK_BYTES, 7).bytes();

    @TempDir
    Path dir;

    static Stream<Arguments> engineLevelAndInput() {
        byte[] random = new byte[BlockCompressor.BLOCK_BYTES];
        new Random(3).nextBytes(random);
        byte[] zeros = new byte[BlockCompressor.BLOCK_BYTES];
        return availableEngines().flatMap(engine -> IntStream.rangeClosed(0, 9).filter(engine::supports)
                .filter(level -> level <= 2 || level == 6 || level == 9).boxed()
                .flatMap(level -> Stream.of(
                        Arguments.of(engine, level, "empty", new byte[0]),
                        Arguments.of(engine, level, "one byte", new byte[] {'{'}),
                        Arguments.of(engine, level, "tiny", "{\"a\":1}\n".getBytes()),
                        Arguments.of(engine, level, "1 MiB of log data", LOG_DATA),
                        Arguments.of(engine, level, "1 MiB of random bytes", random),
                        Arguments.of(engine, level, "1 MiB of zeros", zeros))));
    }

    @ParameterizedTest(name = "{0} level {1}: {2}")
    @MethodSource("engineLevelAndInput")
    void aMemberDecompressesToItsInputWithGzipAndJava(DeflateEngine engine, int level, String name, byte[] input)
            throws IOException, InterruptedException {
        GzipMemberEncoder encoder = engine.newEncoder(level);
        try {
            byte[] member = bytes(encoder.encode(input, input.length));

            assertThat(gunzip(member)).isEqualTo(input);
            assertThat(gzipDc(member)).isEqualTo(input);
            assertThat(Arrays.copyOf(member, 10)).as("header: gzip, deflate, no flags, MTIME 0")
                    .startsWith(0x1f, 0x8b, 8, 0, 0, 0, 0, 0);
            assertThat(member[9] & 0xFF).as("OS unknown").isEqualTo(0xFF);
            if (engine == DeflateEngine.ISAL) { // its output buffer is sized on this
                int storedBound = input.length + 5 * Math.max(1, (input.length + 65_534) / 65_535);
                assertThat(member.length).as("never larger than stored blocks of 64 KiB")
                        .isLessThanOrEqualTo(GzipFraming.HEADER_BYTES + storedBound + GzipFraming.TRAILER_BYTES);
            }
        } finally {
            encoder.end();
        }
    }

    /** ISA-L on Linux and macOS x86-64, where GKL bundles it (asserted below), and the JDK's zlib everywhere. */
    static Stream<DeflateEngine> availableEngines() {
        return Stream.of(DeflateEngine.values()).filter(DeflateEngine::isAvailable);
    }

    @ParameterizedTest
    @MethodSource("availableEngines")
    void anEncoderIsReusedForConsecutiveMembersThatFormOneStream(DeflateEngine engine)
            throws IOException, InterruptedException {
        GzipMemberEncoder encoder = engine.newEncoder(1);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try {
            // Different offsets and lengths each time: a member must not depend on the previous input.
            int[][] slices = {{0, LOG_DATA.length}, {17, 100}, {1000, LOG_DATA.length / 2}, {0, 0}, {333, 5000}};
            for (int[] slice : slices) {
                byte[] input = Arrays.copyOfRange(LOG_DATA, slice[0], slice[0] + slice[1]);
                file.writeBytes(bytes(encoder.encode(input, input.length)));
                expected.writeBytes(input);
            }
        } finally {
            encoder.end();
        }

        assertThat(gunzip(file.toByteArray())).as("GZIPInputStream reads every member").isEqualTo(expected.toByteArray());
        assertThat(gzipDc(file.toByteArray())).isEqualTo(expected.toByteArray());
    }

    @ParameterizedTest
    @MethodSource("availableEngines")
    void anEncoderEncodesTheGivenLengthOnly(DeflateEngine engine) throws IOException {
        GzipMemberEncoder encoder = engine.newEncoder(1);
        try {
            assertThat(gunzip(bytes(encoder.encode(LOG_DATA, 1000)))).isEqualTo(Arrays.copyOf(LOG_DATA, 1000));
        } finally {
            encoder.end();
        }
    }

    @Test
    void isalIsBundledAndLoadsOnLinuxX8664() {
        assumeThat(System.getProperty("os.name")).as("GKL's library is loaded here for Linux").startsWith("Linux");
        assumeThat(System.getProperty("os.arch")).as("GKL bundles x86-64 libraries").isIn("amd64", "x86_64");

        assertThat(Isal.unavailableReason()).isEmpty();
        assertThat(DeflateEngine.best(1)).isEqualTo(DeflateEngine.ISAL);
        assertThat(DeflateEngine.best(2)).isEqualTo(DeflateEngine.ISAL);
        assertThat(DeflateEngine.best(3)).as("GKL's levels 3+ are its own zlib, which leaks").isEqualTo(DeflateEngine.ZLIB);
    }

    @Test
    void isalAtLevel1CompressesLogDataAtLeastAsWellAsZlib() {
        assumeThat(Isal.isLoaded()).as("ISA-L loads here").isTrue();
        GzipMemberEncoder isal = DeflateEngine.ISAL.newEncoder(1);
        GzipMemberEncoder zlib = DeflateEngine.ZLIB.newEncoder(1);
        try {
            int isalBytes = isal.encode(LOG_DATA, LOG_DATA.length).remaining();
            int zlibBytes = zlib.encode(LOG_DATA, LOG_DATA.length).remaining();

            assertThat(isalBytes).isLessThanOrEqualTo(zlibBytes);
        } finally {
            isal.end();
            zlib.end();
        }
    }

    @Test
    void isalOffersLevels1And2Only() {
        assertThat(IntStream.rangeClosed(0, 9).filter(DeflateEngine.ISAL::supports)).containsExactly(1, 2);
        assertThatThrownBy(() -> new IsalMemberEncoder(3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IsalMemberEncoder(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEndedIsalEncoderRefusesWork() {
        assumeThat(Isal.isLoaded()).as("ISA-L loads here").isTrue();
        GzipMemberEncoder encoder = DeflateEngine.ISAL.newEncoder(1);
        encoder.end();
        encoder.end(); // twice is harmless

        assertThatThrownBy(() -> encoder.encode(LOG_DATA, 10)).isInstanceOf(IllegalStateException.class);
    }

    private static byte[] bytes(ByteBuffer member) {
        byte[] bytes = new byte[member.remaining()];
        member.get(bytes);
        return bytes;
    }

    private static byte[] gunzip(byte[] file) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(file))) {
            return in.readAllBytes();
        }
    }

    /** Through the real gzip binary; skips (with the reason) where there is none. */
    private byte[] gzipDc(byte[] file) throws IOException, InterruptedException {
        Path onDisk = Files.write(Files.createTempFile(dir, "member", ".gz"), file);
        return GzipFiles.gzipCommand(onDisk).orElseGet(() -> {
            assumeThat(false).as("gzip is on the PATH").isTrue();
            return null;
        });
    }
}
