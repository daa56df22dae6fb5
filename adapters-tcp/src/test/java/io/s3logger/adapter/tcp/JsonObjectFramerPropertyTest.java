package io.s3logger.adapter.tcp;

import static io.s3logger.adapter.tcp.FramerHarness.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.s3logger.adapter.tcp.FramingException.Reason;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property: any stream of valid objects, with any whitespace between tokens and objects, split at
 * any byte boundaries, yields exactly the compact lines. Random but reproducible: each case is a
 * fixed seed, named in the test's display name.
 */
class JsonObjectFramerPropertyTest {

    private static final String[] WHITESPACE = {"", "", "", " ", "\n", "\t", "\r\n", "  \n\t "};
    /** Between objects NUL separates too (GELF over TCP). */
    private static final String[] SEPARATORS = {"", "", " ", "\n", "\r\n", "  \n\t ", "\u0000", "\u0000\u0000", "\n\u0000", "\u0000 \n"};
    private static final String[] STRING_PIECES = {
        "a", "Z", "0", " ", "key", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u00e9", "\\u00E9",
        "\\ud83d\\ude00", "é", "日本", "😀", "\u007f", "{", "}", "[", "]", ":", ",", "\uFEFF", "\u0080", "\uffff",
    };
    private static final String[] NUMBERS = {
        "0", "-0", "1.10", "1e400", "-1.5E+10", "2E-3", "123456789012345678901234567890", "0.0000001", "-12.5e0",
    };

    static LongStream seeds() {
        return LongStream.range(0, 400);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void anyValidStreamSplitAnywhereGivesTheCompactLines(long seed) throws FramingException {
        Random random = new Random(seed);
        Stream stream = randomStream(random);
        byte[] input = stream.raw.toByteArray();
        FramerHarness h = new FramerHarness();
        for (int off = 0; off < input.length; ) {
            int len = Math.min(input.length - off, randomChunk(random));
            h.feed(java.util.Arrays.copyOfRange(input, off, off + len), Math.max(1, len));
            off += len;
        }
        assertThat(h.framer.endOfInput()).isFalse();
        assertThat(h.output()).isEqualTo(stream.expected.toString());
        assertThat(h.lineCount).isEqualTo(stream.objects);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void nulSeparatedStreamGivesTheSameObjects(long seed) throws FramingException {
        Random random = new Random(seed);
        Stream stream = randomStream(random);
        String gelf = (random.nextBoolean() ? "\u0000" : "") + stream.expected.toString().replace('\n', '\u0000');
        FramerHarness h = new FramerHarness().feed(utf8(gelf), 1 + random.nextInt(300));
        assertThat(h.framer.endOfInput()).isFalse();
        assertThat(h.output()).isEqualTo(stream.expected.toString());
        assertThat(h.lineCount).isEqualTo(stream.objects);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void objectsBeforeARejectionAreAllKept(long seed) {
        Random random = new Random(seed);
        Stream stream = randomStream(random);
        stream.raw.writeBytes(utf8(WHITESPACE[random.nextInt(WHITESPACE.length)] + "[1]{}"));
        byte[] input = stream.raw.toByteArray();
        FramerHarness h = new FramerHarness();
        FramingException e = catchThrowableOfType(FramingException.class, () -> h.feed(input, 1 + random.nextInt(300)));
        assertThat(e.reason()).isEqualTo(Reason.NOT_AN_OBJECT);
        assertThat(e.offset()).isEqualTo(input.length - 5);
        assertThat(h.output()).isEqualTo(stream.expected.toString());
    }

    private static int randomChunk(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> 1;
            case 1 -> 1 + random.nextInt(8);
            case 2 -> 1 + random.nextInt(200);
            default -> 1 + random.nextInt(70_000);
        };
    }

    /** A generated stream: its raw bytes and the compact lines it must give. */
    static final class Stream {
        final ByteArrayOutputStream raw = new ByteArrayOutputStream();
        final StringBuilder expected = new StringBuilder();
        int objects;
    }

    /** A random valid stream (also the seed material of {@link FramerFuzzing}). */
    static Stream randomStream(Random random) {
        Stream stream = new Stream();
        if (random.nextInt(4) == 0) {
            stream.raw.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        }
        int count = random.nextInt(12);
        for (int i = 0; i < count; i++) {
            StringBuilder raw = new StringBuilder();
            StringBuilder compact = new StringBuilder();
            raw.append(separator(random));
            object(random, 1, raw, compact);
            raw.append(separator(random));
            stream.raw.writeBytes(utf8(raw.toString()));
            stream.expected.append(compact).append('\n');
            stream.objects++;
        }
        return stream;
    }

    private static void value(Random random, int depth, StringBuilder raw, StringBuilder compact) {
        int kind = depth > 6 ? 2 + random.nextInt(3) : random.nextInt(5);
        switch (kind) {
            case 0 -> object(random, depth + 1, raw, compact);
            case 1 -> array(random, depth + 1, raw, compact);
            case 2 -> token(string(random), raw, compact);
            case 3 -> token(NUMBERS[random.nextInt(NUMBERS.length)], raw, compact);
            default -> token(new String[] {"true", "false", "null"}[random.nextInt(3)], raw, compact);
        }
    }

    /** Appends a random valid object, as sent ({@code raw}) and as it must be stored ({@code compact}). */
    static void object(Random random, int depth, StringBuilder raw, StringBuilder compact) {
        token("{", raw, compact);
        int members = random.nextInt(5);
        for (int m = 0; m < members; m++) {
            if (m > 0) {
                raw.append(ws(random));
                token(",", raw, compact);
            }
            raw.append(ws(random));
            token(string(random), raw, compact);
            raw.append(ws(random));
            token(":", raw, compact);
            raw.append(ws(random));
            value(random, depth, raw, compact);
        }
        raw.append(ws(random));
        token("}", raw, compact);
    }

    private static void array(Random random, int depth, StringBuilder raw, StringBuilder compact) {
        token("[", raw, compact);
        int elements = random.nextInt(4);
        for (int e = 0; e < elements; e++) {
            raw.append(ws(random));
            if (e > 0) {
                token(",", raw, compact);
                raw.append(ws(random));
            }
            value(random, depth, raw, compact);
        }
        raw.append(ws(random));
        token("]", raw, compact);
    }

    private static String string(Random random) {
        StringBuilder s = new StringBuilder("\"");
        int pieces = random.nextInt(6);
        for (int i = 0; i < pieces; i++) {
            s.append(STRING_PIECES[random.nextInt(STRING_PIECES.length)]);
        }
        return s.append('"').toString();
    }

    private static void token(String text, StringBuilder raw, StringBuilder compact) {
        raw.append(text);
        compact.append(text);
    }

    private static String separator(Random random) {
        return SEPARATORS[random.nextInt(SEPARATORS.length)];
    }

    private static String ws(Random random) {
        return WHITESPACE[random.nextInt(WHITESPACE.length)];
    }
}
