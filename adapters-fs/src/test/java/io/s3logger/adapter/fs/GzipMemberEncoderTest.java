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

/** Both deflate engines write standard, self-contained gzip members. */
class GzipMemberEncoderTest {

    private static final byte[] LOG_DATA = LogEventGenerator.generate(BlockCompressor.BLOCK_BYTES, 7).bytes();

    static Stream<Arguments> engineLevelAndInput() {
        byte[] random = new byte[BlockCompressor.BLOCK_BYTES];
        new Random(3).nextBytes(random);
        byte[] zeros = new byte[BlockCompressor.BLOCK_BYTES];
        return availableEngines().flatMap(engine -> IntStream.of(0, 1, 6, 9).boxed()
                .flatMap(level -> Stream.of(
                        Arguments.of(engine, level, "empty", new byte[0]),
                        Arguments.of(engine, level, "one byte", new byte[] {'{'}),
                        Arguments.of(engine, level, "log data", LOG_DATA),
                        Arguments.of(engine, level, "random bytes", random),
                        Arguments.of(engine, level, "zeros", zeros))));
    }

    @ParameterizedTest(name = "{0} level {1}: {2}")
    @MethodSource("engineLevelAndInput")
    void aMemberDecompressesToItsInput(DeflateEngine engine, int level, String name, byte[] input) throws IOException {
        GzipMemberEncoder encoder = engine.newEncoder(level);
        try {
            byte[] member = bytes(encoder.encode(input, input.length));

            assertThat(gunzip(member)).isEqualTo(input);
            assertThat(Arrays.copyOf(member, 10)).as("header: gzip, deflate, no flags, MTIME 0")
                    .startsWith(0x1f, 0x8b, 8, 0, 0, 0, 0, 0);
            assertThat(member[9] & 0xFF).as("OS unknown").isEqualTo(0xFF);
        } finally {
            encoder.end();
        }
    }

    /** Both on Linux x86-64, where the build bundles libdeflate (asserted below); zlib elsewhere. */
    static Stream<DeflateEngine> availableEngines() {
        return Stream.of(DeflateEngine.values()).filter(DeflateEngine::isAvailable);
    }

    @ParameterizedTest
    @MethodSource("availableEngines")
    void anEncoderIsReusedForConsecutiveMembersThatFormOneStream(DeflateEngine engine, @TempDir Path dir)
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

        assertThat(gunzip(file.toByteArray())).isEqualTo(expected.toByteArray());
        Path onDisk = Files.write(dir.resolve("members.gz"), file.toByteArray());
        GzipFiles.gzipCommand(onDisk).ifPresent(decoded -> assertThat(decoded).isEqualTo(expected.toByteArray()));
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
    void libdeflateIsBundledAndLoadsOnLinuxX8664() {
        assumeThat(System.getProperty("os.name")).as("the bundled library is for Linux").startsWith("Linux");
        assumeThat(System.getProperty("os.arch")).as("the bundled library is for x86-64").isIn("amd64", "x86_64");

        assertThat(Libdeflate.unavailableReason()).isEmpty();
        assertThat(DeflateEngine.best()).isEqualTo(DeflateEngine.LIBDEFLATE);
        assertThat(Libdeflate.version()).matches("\\d+\\.\\d+(\\.\\d+)?");
    }

    @Test
    void libdeflateAtLevel1CompressesLogDataAtLeastAsWellAsZlib() {
        assumeThat(Libdeflate.isLoaded()).as("libdeflate is bundled and loads here").isTrue();
        GzipMemberEncoder libdeflate = DeflateEngine.LIBDEFLATE.newEncoder(1);
        GzipMemberEncoder zlib = DeflateEngine.ZLIB.newEncoder(1);
        try {
            int libdeflateBytes = libdeflate.encode(LOG_DATA, LOG_DATA.length).remaining();
            int zlibBytes = zlib.encode(LOG_DATA, LOG_DATA.length).remaining();

            assertThat(libdeflateBytes).isLessThanOrEqualTo(zlibBytes);
        } finally {
            libdeflate.end();
            zlib.end();
        }
    }

    @Test
    void anEndedLibdeflateEncoderRefusesWork() {
        assumeThat(Libdeflate.isLoaded()).as("libdeflate is bundled and loads here").isTrue();
        GzipMemberEncoder encoder = DeflateEngine.LIBDEFLATE.newEncoder(1);
        encoder.end();
        encoder.end(); // twice is harmless

        assertThatThrownBy(() -> encoder.encode(LOG_DATA, 10))
                .isInstanceOf(IllegalStateException.class);
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
}
