package io.s3logger.adapter.tcp;

import static io.s3logger.adapter.tcp.FramerHarness.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.s3logger.adapter.tcp.FramerFuzzing.Outcome;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The framer's own grammar check against jackson-core's blocking parser as the oracle: for one
 * object, valid or mutated, both must agree on accept or reject. The framer accepts when the input
 * gives exactly one line and nothing else; Jackson accepts when it reads exactly one object (every
 * name and string decoded) and nothing after it, and the input is strict UTF-8 (which Jackson
 * does not check inside strings). Jackson does not know that NUL separates objects (GELF over TCP),
 * so it judges the input without the NULs at its ends. Seeded, so a failure names a reproducible
 * case.
 */
class JsonObjectFramerDifferentialTest {


    static LongStream seeds() {
        return LongStream.range(0, 1_500);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void framerAndJacksonAgreeOnValidAndMutatedObjects(long seed) {
        Random random = new Random(seed);
        StringBuilder raw = new StringBuilder();
        JsonObjectFramerPropertyTest.object(random, 1, raw, new StringBuilder());
        byte[] valid = utf8(raw.toString());
        assertAgree(valid, random, "valid, seed " + seed);
        assertAgree(FramerHarness.concat(new byte[] {0}, valid, new byte[] {0, 0}), random, "valid between NULs, seed " + seed);
        for (int m = 0; m < 4; m++) {
            assertAgree(FramerFuzzing.mutate(valid, random), random, "mutation " + m + ", seed " + seed);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"\\ud800\":1}", "{\"\\udc00\":1}", "{\"\\ud800\\udc00\":1}", "{\"\\ud800x\":1}", "{\"\\ud800\\u0041\":1}",
        "{\"\\ud800\\ud800\\udc00\":1}", "{\"\\ud800\\n\":1}", "{\"a\\udbff\\udfff\":[\"\\udc00\"]}", "{\"\\u12\":1}", "{\"\\u00e9\\u00E9\":1}",
        "{\"a\":-}", "{\"a\":-0}", "{\"a\":-01}", "{\"a\":1.}", "{\"a\":1.e5}", "{\"a\":1e}", "{\"a\":1e+}", "{\"a\":1E-7}", "{\"a\":0e0}",
        "{\"a\":00}", "{\"a\":1.5.5}", "{\"a\":1e5e5}", "{\"a\":[1,2,]}", "{\"a\":[,]}", "{\"a\":[]}", "{\"a\":[[]]}", "{\"a\":{}}",
        "{\"a\":truex}", "{\"a\":nul}", "{\"a\":fals}", "{\"a\":true false}", "{\"a\":\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"}", "{\"a\":\"\\a\"}",
        "{\"a\" : 1 , \"b\" : [ 1 , { } ] }", "{\"a\":1,,\"b\":2}", "{\"a\":1\"b\":2}", "{\"a\"::1}", "{:1}", "{\"a\":[}", "{\"a\":{]}",
        "{\"a\":[1}", "{\"a\":\"x\"1}", "{\"a\":1}}", "{\"a\":1]", "{\"a\":\u007f}", "{\"a\":\"\u007f\"}",
        "{\"a\":1}\u0000", "\u0000{\"a\":1}\u0000\u0000", "{\"a\":1\u0000}", "{\"a\":\"\u0000\"}", "{\u0000\"a\":1}", "\u0000{\"a\":1}\u0000}",
    })
    void framerAndJacksonAgreeOnEdgeCases(String input) {
        assertAgree(utf8(input), new Random(input.hashCode()), input);
    }

    /** Every byte value at every position of a 24-byte string: the string scan reads 8 bytes at a time. */
    @ParameterizedTest(name = "byte value {0}")
    @MethodSource("byteValues")
    void framerAndJacksonAgreeOnEachByteAtEachPositionOfAString(int value) {
        byte[] prefix = utf8("{\"k\":\"");
        for (int at = 0; at < 24; at++) {
            byte[] input = utf8("{\"k\":\"" + "abcdefghijklmnopqrstuvwx" + "\"}");
            input[prefix.length + at] = (byte) value;
            assertAgree(input, new Random(at), "byte 0x" + Integer.toHexString(value) + " at " + at);
        }
    }

    static java.util.stream.IntStream byteValues() {
        return java.util.stream.IntStream.range(0, 256);
    }

    private static void assertAgree(byte[] input, Random random, String name) {
        Outcome framed = FramerFuzzing.checkSplitInvariant(input, random);
        boolean framerAccepts = framed.rejection() == null && framed.lineCount() == 1 && !framed.truncated();
        String jackson = jacksonVerdict(withoutNulsAtTheEnds(input));
        assertThat(framerAccepts)
                .as("%s: framer %s, Jackson %s, input %s", name, framed.describe(), jackson, new String(input, StandardCharsets.UTF_8))
                .isEqualTo(jackson == null && isStrictUtf8(input));
    }

    private static byte[] withoutNulsAtTheEnds(byte[] input) {
        int from = 0;
        int to = input.length;
        while (from < to && input[from] == 0) {
            from++;
        }
        while (to > from && input[to - 1] == 0) {
            to--;
        }
        return java.util.Arrays.copyOfRange(input, from, to);
    }

    /** Null if Jackson reads exactly one object and nothing after it, else why not. */
    private static String jacksonVerdict(byte[] input) {
        try (JsonParser parser = FramerFuzzing.CHECKER.createParser(input)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return "not an object";
            }
            for (JsonToken t = parser.nextToken(); parser.getParsingContext().getParent() != null || t != JsonToken.END_OBJECT;
                    t = parser.nextToken()) {
                if (t == null) {
                    return "truncated";
                }
                if (t == JsonToken.FIELD_NAME || t == JsonToken.VALUE_STRING) {
                    parser.getText(); // decodes the escapes, which checks them
                }
            }
            return parser.nextToken() == null ? null : "more after the object";
        } catch (IOException e) {
            return e.getMessage().lines().findFirst().orElse("error");
        }
    }

    private static boolean isStrictUtf8(byte[] input) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(input));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
