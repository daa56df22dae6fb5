package io.s3logger.adapter.tcp;

import static io.s3logger.adapter.tcp.FramerHarness.concat;
import static io.s3logger.adapter.tcp.FramerHarness.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.s3logger.adapter.tcp.FramingException.Reason;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonObjectFramerTest {

    private static final int[] CHUNK_SIZES = {1, 2, 3, 7, 64, 65_536};
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /** Frames {@code input} at several split points; all must give {@code expected}. */
    private static void assertFrames(byte[] input, String expected) throws FramingException {
        for (int chunk : CHUNK_SIZES) {
            FramerHarness h = new FramerHarness().feed(input, chunk);
            assertThat(h.framer.endOfInput()).as("truncated, chunk %d", chunk).isFalse();
            assertThat(h.output()).as("chunk %d", chunk).isEqualTo(expected);
        }
    }

    private static void assertFrames(String input, String expected) throws FramingException {
        assertFrames(utf8(input), expected);
    }

    /** Frames {@code input} at several split points; all must reject it the same way. */
    private static FramingException assertRejected(byte[] input, Reason reason, long offset, String keptOutput) {
        FramingException first = null;
        for (int chunk : CHUNK_SIZES) {
            FramerHarness h = new FramerHarness();
            FramingException e = catchThrowableOfType(FramingException.class, () -> h.feed(input, chunk));
            assertThat(e).as("chunk %d", chunk).isNotNull();
            assertThat(e.reason()).as("reason, chunk %d: %s", chunk, e.getMessage()).isEqualTo(reason);
            assertThat(e.offset()).as("offset, chunk %d: %s", chunk, e.getMessage()).isEqualTo(offset);
            assertThat(h.output()).as("kept lines, chunk %d", chunk).isEqualTo(keptOutput);
            first = first == null ? e : first;
        }
        return first;
    }

    private static FramingException assertRejected(String input, Reason reason, long offset, String keptOutput) {
        return assertRejected(utf8(input), reason, offset, keptOutput);
    }

    @Nested
    class AcceptedForms {

        @Test
        void newlineDelimited() throws Exception {
            assertFrames("{\"a\":1}\n{\"b\":2}\n", "{\"a\":1}\n{\"b\":2}\n");
        }

        @Test
        void everyKindOfTokenCutAtAnyByte() throws Exception {
            // The framer takes whole tokens where it can, and byte by byte where a read cuts one.
            String line = "{\"k\":\"v\",\"é\\u00e9\\n\":\"日本😀 \\\"q\\\" \\ud83d\\ude00 \\/\",\"\\ud83d\\ude00\":1,"
                    + "\"n\":[0,-0,12,-3.25,1e5,2E-7,0.5e+3,123456789012345678901],\"l\":[true,false,null],"
                    + "\"o\":{\"a\":{},\"b\":[[]]},\"s\":\"" + "x".repeat(40) + "\"}";
            String pretty = line.replace(",\"", ",\n  \"").replace(":", " : ").replace("[", "[ ").replace("}", "\n}");
            // After each piece, bytes that would end a token: the framer must not take them.
            byte[] junk = utf8("\",}]:\"\n{");
            for (String input : List.of(line + "\n" + line + "\n", pretty + "\n" + pretty + "\r\n")) {
                byte[] bytes = utf8(input);
                for (int cut = 0; cut <= bytes.length; cut++) {
                    FramerHarness h = new FramerHarness();
                    h.framer.feed(concat(Arrays.copyOf(bytes, cut), junk), 0, cut);
                    h.take();
                    h.framer.feed(concat(Arrays.copyOfRange(bytes, cut, bytes.length), junk), 0, bytes.length - cut);
                    h.take();
                    assertThat(h.framer.endOfInput()).isFalse();
                    assertThat(h.output()).as("cut at %d of %s", cut, input).isEqualTo(line + "\n" + line + "\n");
                }
            }
        }

        @Test
        void concatenatedWithoutSeparator() throws Exception {
            assertFrames("{\"a\":1}{\"b\":2}{}", "{\"a\":1}\n{\"b\":2}\n{}\n");
        }

        @Test
        void prettyPrintedObjectBecomesOneCompactLine() throws Exception {
            String pretty = "{\r\n\t\"a\" : [ 1 , 2 ,\n  { \"b\" : null } ],\n  \"c\" :\t{ }\r\n}\n";
            assertFrames(pretty, "{\"a\":[1,2,{\"b\":null}],\"c\":{}}\n");
        }

        @Test
        void anyJsonWhitespaceBetweenObjects() throws Exception {
            assertFrames(" \t\r\n{}\r\n\t {\"x\":true} \n", "{}\n{\"x\":true}\n");
        }

        @Test
        void whitespaceInsideStringsIsKept() throws Exception {
            assertFrames("{ \"a b\" : \"  c  d \" }", "{\"a b\":\"  c  d \"}\n");
        }

        @Test
        void byteOrderMarkAtStartIsSkipped() throws Exception {
            assertFrames(concat(BOM, utf8("{\"a\":1}\n{}")), "{\"a\":1}\n{}\n");
            assertFrames(concat(BOM, utf8(" \n{\"a\":1}")), "{\"a\":1}\n");
        }

        @Test
        void nulBytesBetweenObjectsAreSeparators() throws Exception {
            // GELF over TCP ends every object with a NUL
            assertFrames("{\"a\":1}\u0000{\"b\":2}\u0000", "{\"a\":1}\n{\"b\":2}\n");
            assertFrames("\u0000\u0000{}\u0000\u0000\n\u0000 {\"x\":true}\u0000", "{}\n{\"x\":true}\n");
            assertFrames(concat(BOM, utf8("\u0000{}\u0000")), "{}\n");
        }

        @Test
        void nulBytesAloneAreNoObject() throws Exception {
            assertFrames("\u0000\u0000\u0000", "");
        }

        @Test
        void byteOrderMarkAloneIsNoObject() throws Exception {
            assertFrames(BOM, "");
        }

        @Test
        void byteOrderMarkInsideAStringIsAnOrdinaryCharacter() throws Exception {
            assertFrames(concat(utf8("{\"a\":\""), BOM, utf8("\"}")), "{\"a\":\"\uFEFF\"}\n");
        }

        @Test
        void emptyStreamGivesNothing() throws Exception {
            assertFrames("", "");
            assertFrames(" \n\t", "");
        }
    }

    @Nested
    class ValuesPreservedByteForByte {

        @ParameterizedTest
        @ValueSource(strings = {
            "{\"n\":1.10}",
            "{\"n\":1e400}",
            "{\"n\":-0}",
            "{\"n\":-0.0e-0}",
            "{\"n\":123456789012345678901234567890}",
            "{\"n\":-1.5E+10}",
            "{\"s\":\"\\u00e9\"}",
            "{\"s\":\"\\u00E9\"}",
            "{\"s\":\"a\\\"b\"}",
            "{\"s\":\"\\\\ \\/ \\b\\f\\n\\r\\t\"}",
            "{\"s\":\"\\ud83d\\ude00\"}",
            "{\"s\":\"</script>&<>'\"}",
            "{\"z\":1,\"a\":2,\"m\":3}",
            "{\"a\":1,\"a\":2,\"a\":{\"a\":[]}}",
            "{\"s\":\"é 日本語 😀 \u0080 \u07ff \u0800 \u1000 \ud7ff \ue000 \uffff \ud808\udc00 \ud800\udc00 \udbff\udfff\"}",
            "{\"t\":true,\"f\":false,\"n\":null,\"e\":[],\"o\":{},\"s\":\"\"}",
        })
        void compactInputIsCopiedVerbatim(String object) throws Exception {
            assertFrames(object, object + "\n");
        }

        @Test
        void loneEscapedSurrogateIsValidJsonAndKept() throws Exception {
            // RFC 8259 grammar allows it; stored as received, never decoded.
            assertFrames("{\"s\":\"\\ud800\"}", "{\"s\":\"\\ud800\"}\n");
        }

        @Test
        void numbersLongerThanJacksonDefaultsAreAccepted() throws Exception {
            String digits = "9".repeat(100_000);
            assertFrames("{\"n\":" + digits + ",\"f\":0." + digits + "}", "{\"n\":" + digits + ",\"f\":0." + digits + "}\n");
        }

        @Test
        void longKeysAndStringsAreAccepted() throws Exception {
            String key = "k".repeat(200_000);
            String value = "v".repeat(3_000_000);
            String object = "{\"" + key + "\":\"" + value + "\"}";
            FramerHarness h = new FramerHarness().feed(utf8(object), 65_536);
            assertThat(h.output()).isEqualTo(object + "\n");
        }
    }

    @Nested
    class Rejections {

        @ParameterizedTest
        @ValueSource(strings = {
            "{\"a\":tru}", "{\"a\" 1}", "{\"a\":1,}", "{\"a\":01}", "{]", "{\"a\":1]", "{'a':1}", "{a:1}",
            "{\"a\":NaN}", "{\"a\":1 2}", "{\"a\":\"\\x\"}", "{\"a\":[1,]}", "{,}", "{\"a\":+1}", "{\"a\":.5}",
        })
        void syntaxErrorIsMalformed(String bad) {
            FramerHarness h = new FramerHarness();
            FramingException e = catchThrowableOfType(FramingException.class, () -> h.feed("{\"ok\":1}\n" + bad));
            assertThat(e).isNotNull();
            assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
            assertThat(e.offset()).isBetween(9L, 9L + bad.length());
            assertThat(h.output()).isEqualTo("{\"ok\":1}\n");
        }

        @Test
        void offsetOfSyntaxErrorCountsWholeStreamIncludingBomAndWhitespace() {
            // BOM (3) + "{\"a\":1}" (7) + "\n  " (3) = 13; then the '1' after the missing colon at +5.
            byte[] input = concat(BOM, utf8("{\"a\":1}\n  {\"a\" 1}"));
            assertRejected(input, Reason.MALFORMED, 18, "{\"a\":1}\n");
        }

        @Test
        void controlCharacterInsideStringIsMalformed() {
            assertRejected("{\"a\":\"x\u0001\"}", Reason.MALFORMED, 7, "");
            assertRejected("{\"a\":\"x\ty\"}", Reason.MALFORMED, 7, "");
            assertRejected("{}{\"a\":\"line\nbreak\"}", Reason.MALFORMED, 12, "{}\n");
        }

        @Test
        void nulInsideAnObjectIsMalformed() {
            assertRejected("{}\u0000{\"a\":\"x\u0000\"}", Reason.MALFORMED, 10, "{}\n");
            assertRejected("{\u0000}", Reason.MALFORMED, 1, "");
            assertRejected("{\"a\"\u0000:1}", Reason.MALFORMED, 4, "");
            assertRejected("{\"a\":1\u0000}", Reason.MALFORMED, 6, "");
            assertRejected("{\"a\":[1,\u00002]}", Reason.MALFORMED, 8, "");
        }

        @Test
        void nonAsciiOutsideStringIsMalformed() {
            assertRejected("{\"a\":é}", Reason.MALFORMED, 5, "");
        }

        @Test
        void invalidUtf8InsideStringIsRejectedAtTheOffendingByte() {
            byte[] prefix = utf8("{\"a\":1}{\"s\":\""); // 13 bytes
            int[][] cases = {
                {0xC0, 0xAF},             // overlong '/'
                {0xC1, 0xBF},             // overlong
                {0xE0, 0x80, 0xAF},       // overlong 3-byte
                {0xF0, 0x80, 0x80, 0xAF}, // overlong 4-byte
                {0xED, 0xA0, 0x80},       // UTF-8 encoded lone surrogate U+D800
                {0xED, 0xBF, 0xBF},       // U+DFFF
                {0xF4, 0x90, 0x80, 0x80}, // above U+10FFFF
                {0xF5, 0x80, 0x80, 0x80}, // invalid lead
                {0xFF},                   // never valid
                {0x80},                   // lone continuation byte
                {0xE2, 0x82, '"'},        // truncated sequence
                {0xC3, 0xC3},             // lead where continuation needed
            };
            int[] offendingIndex = {0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 2, 1};
            for (int c = 0; c < cases.length; c++) {
                byte[] bad = new byte[cases[c].length];
                for (int i = 0; i < bad.length; i++) {
                    bad[i] = (byte) cases[c][i];
                }
                FramingException e = assertRejected(concat(prefix, bad, utf8("\"}")), Reason.INVALID_UTF8,
                        prefix.length + offendingIndex[c], "{\"a\":1}\n");
                assertThat(e.getMessage()).as(Arrays.toString(cases[c])).contains("UTF-8");
            }
        }

        @Test
        void earlierSyntaxErrorTakesPrecedenceOverLaterUtf8Error() {
            byte[] input = concat(utf8("{\"a\" 1,\"s\":\""), new byte[] {(byte) 0xC0, (byte) 0xAF}, utf8("\"}"));
            assertRejected(input, Reason.MALFORMED, 5, "");
        }

        @ParameterizedTest
        @ValueSource(strings = {"[1]", "[]", "\"x\"", "42", "-1", "0", "true", "false", "null"})
        void topLevelValueThatIsNotAnObjectIsRejected(String value) {
            assertRejected("{\"a\":1} \n" + value + "{}", Reason.NOT_AN_OBJECT, 9, "{\"a\":1}\n");
        }

        @ParameterizedTest
        @ValueSource(strings = {"}", "]", ",", ":", "x", "\u0001", "\u00e9"})
        void strayBytesBetweenObjectsAreMalformed(String stray) {
            assertRejected("{}" + stray + "{}", Reason.MALFORMED, 2, "{}\n");
        }

        @Test
        void byteOrderMarkAfterTheStartIsMalformed() {
            assertRejected(concat(utf8("{\"a\":1}"), BOM, utf8("{}")), Reason.MALFORMED, 7, "{\"a\":1}\n");
            assertRejected(concat(utf8(" "), BOM, utf8("{}")), Reason.MALFORMED, 1, "");
        }

        @Test
        void brokenByteOrderMarkIsMalformed() {
            assertRejected(new byte[] {(byte) 0xEF, (byte) 0xBB, '{', '}'}, Reason.MALFORMED, 2, "");
        }

        @Test
        void nothingIsAcceptedAfterARejection() {
            FramerHarness h = new FramerHarness();
            assertThatThrownBy(() -> h.feed("{}[")).isInstanceOf(FramingException.class);
            assertThatThrownBy(() -> h.feed("{}")).isInstanceOf(IllegalStateException.class);
            assertThat(h.lineCount).isEqualTo(1);
        }

        @Test
        void everyObjectBeforeTheOffendingOneIsKeptInTheSameFeed() throws Exception {
            FramerHarness h = new FramerHarness();
            byte[] input = utf8("{\"a\":1}{\"b\":2}\n{\"c\":3}{\"d\":");
            h.framer.feed(input, 0, input.length);
            byte[] bad = utf8("x}");
            assertThatThrownBy(() -> h.framer.feed(bad, 0, bad.length)).isInstanceOf(FramingException.class);
            h.take();
            assertThat(h.lines()).containsExactly("{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
            assertThat(h.lineCount).isEqualTo(3);
        }
    }

    @Nested
    class SizeLimit {

        /** An object of exactly {@code size} bytes as received, padded with a string value. */
        private static byte[] objectOfSize(int size, char pad) {
            String head = "{\"p\":\"";
            String tail = "\"}";
            return utf8(head + String.valueOf(pad).repeat(size - head.length() - tail.length()) + tail);
        }

        // The protocol's own limit, at its real size: 4,194,304 bytes accepted, 4,194,305 not.
        @Test
        void objectOfExactlyFourMebibytesIsAccepted() throws Exception {
            byte[] object = objectOfSize(FramingLimits.DEFAULT.maxObjectBytes(), 'x');
            assertThat(object.length).isEqualTo(4_194_304);
            FramerHarness h = new FramerHarness().feed(concat(utf8("{}\n  "), object, utf8("{}")), 65_536);
            assertThat(h.lineCount).isEqualTo(3);
            assertThat(Arrays.equals(h.lines().get(1).getBytes(java.nio.charset.StandardCharsets.UTF_8), object)).isTrue();
        }

        @Test
        void objectOneByteLargerIsRejectedAtTheFirstByteBeyondTheLimit() {
            byte[] object = objectOfSize(FramingLimits.DEFAULT.maxObjectBytes() + 1, 'x');
            assertThat(object.length).isEqualTo(4_194_305);
            FramerHarness h = new FramerHarness();
            FramingException e = catchThrowableOfType(FramingException.class,
                    () -> h.feed(concat(utf8("{}\n  "), object), 65_536));
            assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
            assertThat(e.offset()).isEqualTo(5L + 4_194_304);
            assertThat(e.getMessage()).contains("starting at byte offset 5");
            assertThat(h.output()).isEqualTo("{}\n");
        }

        // The rules below hold for any limit: checked with a small one (and reads of 7 bytes, which
        // split multi-byte characters) rather than 4 MiB inputs.
        private static final FramingLimits SMALL = new FramingLimits(1_000, FramingLimits.DEFAULT.maxDepth());

        @Test
        void whitespaceInsideTheObjectCountsAsReceived() {
            // Compacted it would be tiny, but as received it is one byte over the limit.
            byte[] object = utf8("{\"a\":" + " ".repeat(SMALL.maxObjectBytes() - 6) + "1}");
            assertThat(object.length).isEqualTo(1_001);
            FramerHarness h = new FramerHarness(SMALL);
            FramingException e = catchThrowableOfType(FramingException.class, () -> h.feed(object, 7));
            assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
            assertThat(e.offset()).isEqualTo(1_000L);
            assertThat(e.getMessage()).contains("larger than 1000 bytes");
        }

        @Test
        void whitespaceInsideTheObjectAtExactlyTheLimitIsAccepted() throws Exception {
            byte[] object = utf8("{\"a\":" + " ".repeat(SMALL.maxObjectBytes() - 7) + "1}");
            assertThat(object.length).isEqualTo(1_000);
            assertThat(new FramerHarness(SMALL).feed(object, 7).output()).isEqualTo("{\"a\":1}\n");
        }

        @Test
        void theLimitCountsFromEachObjectsStartInNewlineDelimitedInput() throws Exception {
            byte[] fits = objectOfSize(SMALL.maxObjectBytes(), 'x');
            byte[] over = objectOfSize(SMALL.maxObjectBytes() + 1, 'y');
            for (int chunk : new int[] {7, 65_536}) {
                assertThat(new FramerHarness(SMALL).feed(concat(utf8("{}\n"), fits, utf8("\n{}\n")), chunk).lineCount).isEqualTo(3);
                FramerHarness h = new FramerHarness(SMALL);
                FramingException e = catchThrowableOfType(FramingException.class,
                        () -> h.feed(concat(utf8("{}\n"), fits, utf8("\n"), over), chunk));
                assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
                assertThat(e.offset()).isEqualTo(3L + 1_001 + 1_000);
                assertThat(e.getMessage()).contains("starting at byte offset 1004");
                assertThat(h.lineCount).isEqualTo(2);
            }
        }

        @Test
        void whitespaceBeforeTheObjectDoesNotCount() throws Exception {
            byte[] object = objectOfSize(SMALL.maxObjectBytes(), 'x');
            FramerHarness h = new FramerHarness(SMALL).feed(concat(utf8("{}"), utf8(" ".repeat(5_000)), object, utf8("{}")), 7);
            assertThat(h.lineCount).isEqualTo(3);
        }

        @Test
        void multiByteCharactersCountAsBytes() throws Exception {
            // 'é' is two bytes: 6 + 2 * 496 + 2 = 1,000.
            String object = "{\"p\":\"" + "é".repeat((SMALL.maxObjectBytes() - 8) / 2) + "\"}";
            assertThat(utf8(object).length).isEqualTo(1_000);
            assertThat(new FramerHarness(SMALL).feed(utf8(object), 7).lineCount).isEqualTo(1);
            String larger = "{\"p\":\"" + "é".repeat((SMALL.maxObjectBytes() - 8) / 2) + "x\"}";
            FramingException e = catchThrowableOfType(FramingException.class,
                    () -> new FramerHarness(SMALL).feed(utf8(larger), 7));
            assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
        }
    }

    @Nested
    class NestingLimit {

        private static String nested(int depth) {
            // depth 1 is the top-level object itself
            return "{\"a\":" + "[".repeat(depth - 1) + "]".repeat(depth - 1) + "}";
        }

        @Test
        void nestingUpToTheCapIsAccepted() throws Exception {
            String object = nested(FramingLimits.DEFAULT.maxDepth());
            assertFrames(object, object + "\n");
        }

        @Test
        void nestingBeyondTheCapIsRejectedAtTheOpeningBracket() {
            String object = nested(FramingLimits.DEFAULT.maxDepth() + 1);
            // "{}" + "{\"a\":" + 999 brackets reach depth 1000; the next '[' is at 2 + 5 + 999.
            FramingException e = assertRejected("{}" + object, Reason.TOO_DEEP, 1006, "{}\n");
            assertThat(e.getMessage()).contains("1000");
        }

        @Test
        void aSmallerDepthLimitIsEnforcedAcrossTheWordsOfTheDepthBits() throws Exception {
            FramingLimits limits = new FramingLimits(FramingLimits.DEFAULT.maxObjectBytes(), 70);
            // objects and arrays alternate, so the object-or-array bit of each depth matters
            String deepest = "{\"a\":[".repeat(35) + "1" + "]}".repeat(35); // depth 70
            assertThat(new FramerHarness(limits).feed(utf8(deepest), 3).output()).isEqualTo(deepest + "\n");
            FramingException e = catchThrowableOfType(FramingException.class,
                    () -> new FramerHarness(limits).feed(utf8("{\"b\":" + deepest + "}"), 3));
            assertThat(e.reason()).isEqualTo(Reason.TOO_DEEP);
            assertThat(e.offset()).as("the last [ of deepest").isEqualTo(5L + 34 * 6 + 5);
            assertThat(e.getMessage()).contains("nesting deeper than 70");
        }

        @Test
        void objectsCountTowardsTheDepthLikeArrays() {
            String object = "{\"a\":".repeat(1001) + "1" + "}".repeat(1001);
            assertRejected(object, Reason.TOO_DEEP, 5000, "");
        }
    }

    @Nested
    class EndOfInput {

        @Test
        void partialObjectAtEndIsDroppedAndReported() throws Exception {
            FramerHarness h = new FramerHarness().feed("{\"a\":1}\n{\"b\":\"unfinished");
            assertThat(h.framer.endOfInput()).isTrue();
            h.take();
            assertThat(h.lines()).containsExactly("{\"a\":1}");
        }

        @ParameterizedTest
        @ValueSource(strings = {"{", "{\"a\"", "{\"a\":[1,", "{\"s\":\"\\", "{\"a\":1"})
        void anyUnfinishedObjectCountsAsTruncated(String partial) throws Exception {
            FramerHarness h = new FramerHarness().feed(partial);
            assertThat(h.framer.endOfInput()).isTrue();
            h.take();
            assertThat(h.lineCount).isZero();
        }

        @Test
        void partialMultiByteCharacterAtEndIsTruncation() throws Exception {
            FramerHarness h = new FramerHarness().feed(concat(utf8("{\"s\":\""), new byte[] {(byte) 0xE2, (byte) 0x82}), 1);
            assertThat(h.framer.endOfInput()).isTrue();
        }

        @Test
        void trailingWhitespaceIsNoTruncation() throws Exception {
            FramerHarness h = new FramerHarness().feed("{}\n\n  ");
            assertThat(h.framer.endOfInput()).isFalse();
            assertThat(h.lines()).containsExactly("{}");
        }

        @Test
        void nothingIsAcceptedAfterTheEnd() throws Exception {
            FramerHarness h = new FramerHarness().feed("{}");
            h.framer.endOfInput();
            assertThatThrownBy(() -> h.feed("{}")).isInstanceOf(IllegalStateException.class);
        }
    }

    @Nested
    class Batches {

        @Test
        void batchHoldsOnlyCompleteLinesAndTheReceiverOwnsTheArray() throws Exception {
            JsonObjectFramer framer = new JsonObjectFramer(FramingLimits.DEFAULT);
            byte[] input = utf8("{\"a\":1}\n{\"b\":2}{\"c\"");
            framer.feed(input, 0, input.length);
            var first = framer.takeBatch();
            assertThat(new String(first.bytes(), 0, first.length(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("{\"a\":1}\n{\"b\":2}\n");
            assertThat(first.lines()).isEqualTo(2);
            assertThat(first.bytes()).hasSize(first.length());
            assertThat(framer.hasLines()).isFalse();

            byte[] rest = utf8(":3}");
            framer.feed(rest, 0, rest.length);
            var second = framer.takeBatch();
            assertThat(new String(second.bytes(), 0, second.length(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("{\"c\":3}\n");
            assertThat(new String(first.bytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .as("earlier batch untouched").isEqualTo("{\"a\":1}\n{\"b\":2}\n");
        }

        @Test
        void emptyBatchWhenNoLineIsComplete() throws Exception {
            JsonObjectFramer framer = new JsonObjectFramer(FramingLimits.DEFAULT);
            byte[] input = utf8("{\"a\":");
            framer.feed(input, 0, input.length);
            assertThat(framer.hasLines()).isFalse();
            assertThat(framer.takeBatch().lines()).isZero();
        }

        @Test
        void manyObjectsInOneFeedKeepTheirOrder() throws Exception {
            StringBuilder in = new StringBuilder();
            for (int i = 0; i < 10_000; i++) {
                in.append("{\"i\":").append(i).append("}\n");
            }
            FramerHarness h = new FramerHarness().feed(in.toString());
            List<String> lines = h.lines();
            assertThat(lines).hasSize(10_000);
            assertThat(lines.get(9_999)).isEqualTo("{\"i\":9999}");
            assertThat(h.output()).isEqualTo(in.toString());
        }
    }
}
