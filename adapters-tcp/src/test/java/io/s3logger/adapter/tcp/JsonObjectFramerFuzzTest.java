package io.s3logger.adapter.tcp;

import static io.s3logger.adapter.tcp.FramerFuzzing.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.s3logger.adapter.tcp.FramerFuzzing.Outcome;
import io.s3logger.adapter.tcp.FramerFuzzing.Shape;
import io.s3logger.adapter.tcp.FramingException.Reason;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input: generated cases with fixed seeds (see {@link FramerFuzzing} for the contract
 * checked), and hand-made monsters with their exact expected outcome. {@link FramerFuzz} runs the
 * generated shapes for as long as asked.
 */
class JsonObjectFramerFuzzTest {

    static Stream<Arguments> generatedCases() {
        return Stream.of(Shape.values())
                .flatMap(shape -> LongStream.range(0, 300).mapToObj(seed -> Arguments.of(shape, seed)));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("generatedCases")
    void generatedInputKeepsTheContract(Shape shape, long seed) {
        FramerFuzzing.run(shape, seed);
    }

    static Stream<Arguments> monsters() {
        int limit = FramingLimits.DEFAULT.maxObjectBytes(); // the monsters are at the real size
        return Stream.of(
                monster("100,000 [ inside an object", concat("{\"a\":", repeat("[", 100_000)), 0, Reason.TOO_DEEP),
                monster("100,000 [ at the top", repeat("[", 100_000), 0, Reason.NOT_AN_OBJECT),
                monster("100,000 {", repeat("{", 100_000), 0, Reason.MALFORMED),
                monster("4 MiB string of escapes, exactly at the limit", exactly(limit, "\\n"), 1, null),
                monster("4 MiB string of \\u escapes, one byte over", exactly(limit + 1, "\\u0041"), 0, Reason.TOO_LARGE),
                monster("number with 100,000 digits", concat("{\"n\":", repeat("7", 100_000), "}{\"n\":-", repeat("1", 100_000), ".",
                        repeat("2", 100_000), "e", repeat("9", 100_000), "}"), 2, null),
                monster("NUL inside a string", concat("{}{\"s\":\"a", new byte[] {0}, "\"}"), 1, Reason.MALFORMED),
                monster("NUL between objects", concat("{}", new byte[] {0}, "{}"), 2, null),
                monster("4 MiB of NULs between objects", concat("{}", new byte[limit], "{}"), 2, null),
                monster("NUL inside an object", concat("{\"a\":1", new byte[] {0}, "}"), 0, Reason.MALFORMED),
                monster("lone surrogates in value escapes", "{\"s\":\"\\ud800\"}{\"s\":[\"\\udfff\\ud800x\"]}", 2, null),
                // Jackson decodes keys and refuses a broken pair there (docs/protocol.md)
                monster("lone surrogate in a key escape", "{\"s\":\"\\ud800\"}{\"\\udbff\":1}", 1, Reason.MALFORMED),
                monster("overlong UTF-8 slash", concat("{\"s\":\"", new byte[] {(byte) 0xC0, (byte) 0xAF}, "\"}"), 0, Reason.INVALID_UTF8),
                monster("overlong 3-byte UTF-8", concat("{\"s\":\"", new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, "\"}"), 0, Reason.INVALID_UTF8),
                monster("overlong 4-byte UTF-8", concat("{\"s\":\"", new byte[] {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0xAF}, "\"}"), 0,
                        Reason.INVALID_UTF8),
                monster("BOM between objects", concat("{}", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "{}"), 1, Reason.MALFORMED),
                monster("BOM inside a string", concat("{\"s\":\"", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "\"}"), 1, null),
                monster("BOM inside an object", concat("{", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "}"), 0, Reason.MALFORMED),
                // Found by FramerFuzz: Jackson's non-blocking parser accepts these when fed byte by byte.
                monster("trailing comma in an object", "{}{\"a\":1,}", 1, Reason.MALFORMED),
                monster("trailing comma and whitespace in an object", "{\"a\":[],\r\n}", 0, Reason.MALFORMED),
                monster("trailing comma in an array", "{\"a\":[1,\n]}", 0, Reason.MALFORMED),
                monster("missing value before the closing brace", "{\"a\":true,\"\"\r\n:\r\n}", 0, Reason.MALFORMED),
                monster("4 MiB of whitespace between objects", concat("{}", repeat(" ", limit), "{}"), 2, null),
                monster("4 MiB of random bytes", randomBytes(limit), -1, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("monsters")
    void monstrousInputIsHandledWithinTheLimits(String name, byte[] input, int lines, Reason reason) {
        int[][] splits = {{input.length}, {8_191}, {1, 2, 3, 65_536}, {64 * 1024}};
        Outcome first = null;
        for (int[] split : splits) {
            Outcome outcome = FramerFuzzing.frame(input, split);
            if (first == null) {
                first = outcome;
            }
            assertThat(outcome.sameAs(first)).as("%s split %s: %s vs %s", name, Arrays.toString(split), outcome.describe(), first.describe())
                    .isTrue();
        }
        if (lines >= 0) {
            assertThat(first.lineCount()).as(first.describe()).isEqualTo(lines);
            assertThat(first.rejection() == null ? null : first.rejection().reason()).as(first.describe()).isEqualTo(reason);
        }
    }

    private static Arguments monster(String name, Object input, int lines, Reason reason) {
        return Arguments.of(name, input instanceof String s ? utf8(s) : (byte[]) input, lines, reason);
    }

    /** {@code {"s":"...."}} of exactly {@code size} bytes, the string filled with {@code escape}s (and 'x'). */
    private static byte[] exactly(int size, String escape) {
        String head = "{\"s\":\"";
        int room = size - head.length() - 2;
        int escapes = room / escape.length();
        return utf8(head + escape.repeat(escapes) + "x".repeat(room - escapes * escape.length()) + "\"}");
    }

    private static String repeat(String s, int times) {
        return s.repeat(times);
    }

    private static byte[] concat(Object... parts) {
        byte[][] bytes = Arrays.stream(parts).map(p -> p instanceof String s ? utf8(s) : (byte[]) p).toArray(byte[][]::new);
        return FramerHarness.concat(bytes);
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(42).nextBytes(bytes);
        bytes[0] = '{';
        return bytes;
    }
}
