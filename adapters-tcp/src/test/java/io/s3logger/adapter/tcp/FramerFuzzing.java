package io.s3logger.adapter.tcp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.s3logger.domain.model.LineBatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Random;

/**
 * Hostile input for {@link JsonObjectFramer}, shared by {@link JsonObjectFramerFuzzTest} (fixed
 * seeds) and {@link FramerFuzz} (runs for minutes). The contract checked for every input: the
 * framer throws nothing but {@link FramingException}; every emitted line is one complete, compact,
 * strictly UTF-8 JSON object (parsed again with Jackson); and the outcome (lines, rejection reason
 * and offset) does not depend on how the input is split into reads.
 */
final class FramerFuzzing {

    /** How a case's input is made from its seed. */
    enum Shape {
        /** Random bytes, biased towards JSON's structural characters. */
        RANDOM_BYTES,
        /** A valid stream with a few bytes flipped, inserted, deleted or replaced by nasty sequences. */
        MUTATED,
        /** A valid stream cut anywhere: never rejected, gives a prefix of the full stream's lines. */
        TRUNCATED
    }

    /** Byte sequences that have broken parsers before. */
    private static final byte[][] NASTY = {
        {0}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0xAF},
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
        {(byte) 0xFF}, {(byte) 0x80}, utf8("\\ud800"), utf8("\\udfff\\ud800"), utf8("\\u"), utf8("\\"), utf8("\""), utf8("[[[["),
        utf8("{{"), utf8("}}"), utf8("]"), utf8(","), utf8(":"), utf8("1e99999"), utf8("-"), utf8("00"), utf8("tru"), utf8("\u2028"),
    };
    private static final byte[] STRUCTURAL = utf8("{}[]\":,\\ \n\t0123456789-+.eEtruefalsn");

    /** Re-parses emitted lines (the framer's oracle); limits high enough for anything within 4 MiB. */
    static final JsonFactory CHECKER = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(FramingLimits.DEFAULT.maxDepth())
                    .maxNumberLength(FramingLimits.DEFAULT.maxObjectBytes())
                    .maxStringLength(FramingLimits.DEFAULT.maxObjectBytes())
                    .maxNameLength(FramingLimits.DEFAULT.maxObjectBytes())
                    .build())
            .build();

    private FramerFuzzing() {}

    /** What framing one input gave. */
    record Outcome(byte[] lines, int lineCount, FramingException rejection, boolean truncated) {

        String describe() {
            return lineCount + " lines, " + (rejection == null ? "accepted" : rejection.reason() + "@" + rejection.offset())
                    + (truncated ? ", partial object at end" : "");
        }

        boolean sameAs(Outcome other) {
            return Arrays.equals(lines, other.lines) && lineCount == other.lineCount && truncated == other.truncated
                    && Objects.equals(rejection == null ? null : rejection.reason(), other.rejection == null ? null : other.rejection.reason())
                    && (rejection == null || rejection.offset() == other.rejection.offset());
        }
    }

    /** Runs one generated case; throws AssertionError (naming shape and seed) if the contract breaks. */
    static void run(Shape shape, long seed) {
        Random random = new Random(seed * 31 + shape.ordinal());
        try {
            switch (shape) {
                case RANDOM_BYTES -> checkSplitInvariant(randomBytes(random), random);
                case MUTATED -> checkSplitInvariant(mutate(JsonObjectFramerPropertyTest.randomStream(random).raw.toByteArray(), random), random);
                case TRUNCATED -> checkTruncation(JsonObjectFramerPropertyTest.randomStream(random).raw.toByteArray(), random);
            }
        } catch (AssertionError | RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw new AssertionError(shape + " seed " + seed + ": " + e, e);
        }
    }

    /** Frames {@code input} whole and in random pieces; both must satisfy the contract and agree. */
    static Outcome checkSplitInvariant(byte[] input, Random random) {
        Outcome whole = frame(input, new int[] {Math.max(1, input.length)});
        Outcome pieces = frame(input, randomChunks(random));
        if (!whole.sameAs(pieces)) {
            throw new AssertionError("outcome depends on the split: whole " + whole.describe() + ", in pieces " + pieces.describe());
        }
        return whole;
    }

    private static void checkTruncation(byte[] valid, Random random) {
        Outcome full = frame(valid, new int[] {Math.max(1, valid.length)});
        int cut = valid.length == 0 ? 0 : random.nextInt(valid.length + 1);
        Outcome prefix = frame(Arrays.copyOf(valid, cut), randomChunks(random));
        if (full.rejection != null || prefix.rejection != null) {
            throw new AssertionError("a valid stream or its prefix was rejected: " + full.describe() + " / " + prefix.describe());
        }
        if (!Arrays.equals(prefix.lines, 0, prefix.lines.length, full.lines, 0, Math.min(prefix.lines.length, full.lines.length))
                || prefix.lines.length > full.lines.length) {
            throw new AssertionError("lines of a cut stream are not a prefix of the full stream's lines");
        }
    }

    /**
     * Feeds {@code input} in pieces of the given sizes (cycled), taking a batch after each like a
     * connection does, and checks every line. Only {@link FramingException} may come out.
     */
    static Outcome frame(byte[] input, int[] chunks) {
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        int lineCount = 0;
        FramingException rejection = null;
        try (JsonObjectFramer framer = new JsonObjectFramer(FramingLimits.DEFAULT)) {
            int c = 0;
            for (int off = 0; off < input.length && rejection == null; ) {
                int len = Math.min(chunks[c++ % chunks.length], input.length - off);
                try {
                    framer.feed(input, off, len);
                } catch (FramingException e) {
                    rejection = e;
                }
                off += len;
                if (framer.hasLines()) {
                    LineBatch batch = framer.takeBatch();
                    checkLines(batch.bytes(), batch.length(), batch.lines());
                    lines.write(batch.bytes(), 0, batch.length());
                    lineCount += batch.lines();
                }
                if (c % 3 == 0) {
                    framer.trim(); // as a connection does when it goes quiet: must change nothing
                }
            }
            boolean truncated = rejection == null && framer.endOfInput();
            return new Outcome(lines.toByteArray(), lineCount, rejection, truncated);
        }
    }

    /** Each line of the batch must be one complete compact object in strict UTF-8. */
    static void checkLines(byte[] bytes, int length, int expectedLines) {
        int lines = 0;
        int start = 0;
        for (int i = 0; i < length; i++) {
            if (bytes[i] == '\n') {
                checkCompactObject(bytes, start, i);
                lines++;
                start = i + 1;
            }
        }
        if (start != length || lines != expectedLines) {
            throw new AssertionError("batch of " + expectedLines + " lines holds " + lines + " complete lines and " + (length - start) + " more bytes");
        }
    }

    private static void checkCompactObject(byte[] bytes, int from, int to) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, to - from));
        } catch (CharacterCodingException e) {
            throw new AssertionError("line is not strict UTF-8: " + e);
        }
        boolean inString = false;
        for (int i = from; i < to; i++) {
            int b = bytes[i];
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
                throw new AssertionError("whitespace outside a string at line byte " + (i - from));
            }
        }
        try (JsonParser parser = CHECKER.createParser(bytes, from, to - from)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new AssertionError("line does not start with an object");
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw new AssertionError("bytes after the object on its line");
            }
        } catch (IOException e) {
            throw new AssertionError("line is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static byte[] randomBytes(Random random) {
        int length = switch (random.nextInt(4)) {
            case 0 -> random.nextInt(16);
            case 1 -> random.nextInt(256);
            case 2 -> random.nextInt(4_096);
            default -> random.nextInt(65_536);
        };
        boolean structural = random.nextBoolean();
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = structural && random.nextInt(4) > 0 ? STRUCTURAL[random.nextInt(STRUCTURAL.length)] : (byte) random.nextInt(256);
        }
        if (length > 0 && random.nextBoolean()) {
            bytes[0] = '{'; // get past the first byte more often
        }
        return bytes;
    }

    /** {@code valid} with one to four bytes or runs flipped, deleted, inserted or duplicated. */
    static byte[] mutate(byte[] valid, Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(valid);
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            byte[] current = out.toByteArray();
            int at = current.length == 0 ? 0 : random.nextInt(current.length);
            out.reset();
            out.write(current, 0, at);
            switch (random.nextInt(5)) {
                case 0 -> out.write(random.nextInt(256)); // replace one byte
                case 1 -> { // delete a few bytes
                    at = Math.min(current.length, at + 1 + random.nextInt(4));
                    out.write(current, at, current.length - at);
                    continue;
                }
                case 2 -> out.writeBytes(NASTY[random.nextInt(NASTY.length)]);
                case 3 -> out.write(current, 0, at); // duplicate the prefix
                default -> out.write(STRUCTURAL[random.nextInt(STRUCTURAL.length)]);
            }
            int skip = random.nextBoolean() && at < current.length ? 1 : 0; // overwrite or insert
            out.write(current, at + skip, current.length - at - skip);
        }
        return out.toByteArray();
    }

    private static int[] randomChunks(Random random) {
        int[] chunks = new int[1 + random.nextInt(8)];
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = switch (random.nextInt(4)) {
                case 0 -> 1;
                case 1 -> 1 + random.nextInt(16);
                case 2 -> 1 + random.nextInt(2_048);
                default -> 1 + random.nextInt(65_536);
            };
        }
        return chunks;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
