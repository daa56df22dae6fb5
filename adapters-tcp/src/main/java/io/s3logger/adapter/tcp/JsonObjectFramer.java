package io.s3logger.adapter.tcp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import io.s3logger.adapter.tcp.FramingException.Reason;
import io.s3logger.domain.model.LineBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Cuts one connection's byte stream into JSON objects and turns each into one stored line: the
 * object with all insignificant whitespace removed, then {@code '\n'}.
 *
 * <p>Push-based: {@link #feed} takes bytes as they arrive, split anywhere. Objects may be separated
 * by JSON whitespace or by nothing; a UTF-8 byte-order mark is skipped at the very start of the
 * stream only. Every byte of a value is copied verbatim (numbers, escapes, key order, duplicate
 * keys); only whitespace between tokens is dropped. Completed lines accumulate until {@link
 * #takeBatch()}.
 *
 * <p>Two cooperating passes: a byte scanner that compacts, finds object boundaries and enforces
 * the size, depth and strict UTF-8 rules, and Jackson's non-blocking parser, which checks the JSON
 * grammar (Jackson does not reject overlong or surrogate UTF-8, hence the scanner's own check). An
 * object becomes a line only once the parser has confirmed it as a complete top-level object.
 *
 * <p>Not thread-safe: one instance per connection. After a {@link FramingException} or {@link
 * #endOfInput()} the framer accepts no more input, but lines completed before remain takeable.
 */
public final class JsonObjectFramer implements AutoCloseable {

    /** Largest accepted object, counted from its {@code '{'} to its {@code '}'} as received. */
    public static final int MAX_OBJECT_BYTES = 4 * 1024 * 1024;

    /**
     * Deepest accepted nesting of objects and arrays; the top-level object is depth 1. Real log
     * records nest a handful of levels; common consumers of the stored files refuse deep input
     * (Python's json hits its recursion limit near 1,000, Jackson databind defaults to 1,000), so a
     * deeper object could be stored but not read back.
     */
    public static final int MAX_NESTING_DEPTH = 1_000;

    /** Smallest output buffer allocated; a framer that has seen no byte has none at all. */
    private static final int INITIAL_OUTPUT_BYTES = 4 * 1024;
    /**
     * A busy connection keeps an output buffer up to this size between reads (a 64 KiB read needs
     * about 96 KiB); a larger one, grown for a huge object, shrinks back once that object is taken.
     */
    private static final int RETAINED_OUTPUT_BYTES = 256 * 1024;
    private static final byte[] NO_BYTES = new byte[0];

    // Scanner states.
    private static final int ROOT = 0;
    private static final int BOM_2 = 1;
    private static final int BOM_3 = 2;
    private static final int OBJECT = 3;
    private static final int STRING = 4;
    private static final int ESCAPE = 5;
    private static final int UTF8_TAIL = 6;
    private static final int FINISHED = 7;

    /** Bytes copied as-is in a string's fast path: printable ASCII except {@code "} and {@code \}. */
    private static final boolean[] PLAIN_STRING_BYTE = plainStringBytes();

    private final JsonFactory jsonFactory;
    /** Created at the first object and dropped by {@link #trim()}, so idle connections hold none. */
    private JsonParser parser;
    private ByteArrayFeeder feeder;

    private byte[] out = NO_BYTES;
    private int committedBytes;
    private int committedLines;
    private int outPos;

    private int state = ROOT;
    private int depth;
    private int utf8Remaining;
    private int utf8Min;
    private int utf8Max;

    /** During a {@link #feed}: the stream offset of {@code buf[i]} is {@code base + i}. */
    private long base;
    /** Start, in the current buffer, of bytes scanned but not yet shown to the parser; -1 if none. */
    private int segmentStart = -1;
    private long objectStart;
    private long parserFed;
    /** Stream offset minus parser offset for the current object (whitespace between is not fed). */
    private long parserDelta;
    private JsonToken lastToken;
    /** Bytes of the stream consumed by earlier feeds. */
    private long consumed;

    /**
     * @param jsonFactory a factory from {@link #newJsonFactory()}, shared by all connections
     */
    public JsonObjectFramer(JsonFactory jsonFactory) {
        this.jsonFactory = Objects.requireNonNull(jsonFactory, "jsonFactory");
    }

    /**
     * A Jackson factory whose limits are those of the wire protocol: nothing below {@link
     * #MAX_OBJECT_BYTES} is refused for length, nesting stops at {@link #MAX_NESTING_DEPTH}, and a
     * connection's endless stream has no document or token limit. Thread-safe; create one per server.
     */
    public static JsonFactory newJsonFactory() {
        return JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxNumberLength(MAX_OBJECT_BYTES)
                        .maxStringLength(MAX_OBJECT_BYTES)
                        .maxNameLength(MAX_OBJECT_BYTES)
                        .maxDocumentLength(0)
                        .maxTokenCount(0)
                        .build())
                .disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                // interning arbitrary client-chosen keys would fill the JVM's string table
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                // names are only validated, never looked up: a symbol table per object only costs time
                .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
                // thread-local recycling does nothing useful for one virtual thread per connection
                .recyclerPool(JsonRecyclerPools.newConcurrentDequePool())
                .build();
    }

    /**
     * Consumes {@code len} bytes of the stream. Objects completed by them are appended as lines.
     *
     * @throws FramingException if the stream breaks the protocol; lines completed before the
     *     offending object remain takeable, the offending object is dropped
     * @throws IllegalStateException if the framer already rejected the stream or saw its end
     */
    public void feed(byte[] buf, int off, int len) throws FramingException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (state == FINISHED) {
            throw new IllegalStateException("stream already ended or rejected");
        }
        // Each input byte yields at most one output byte, plus one '\n' per closed object.
        ensureOutputCapacity(len + (len >> 1) + 1);
        int end = off + len;
        base = consumed - off;
        segmentStart = state >= OBJECT ? off : -1;
        try {
            scan(buf, off, end);
        } catch (FramingException e) {
            state = FINISHED;
            outPos = committedBytes;
            throw e;
        } finally {
            consumed += len;
        }
    }

    private void scan(byte[] buf, int i, int end) throws FramingException {
        while (i < end) {
            if (state < OBJECT) {
                i = scanRoot(buf, i, end);
                continue;
            }
            int stop = (int) Math.min(end, objectStart + MAX_OBJECT_BYTES - base);
            i = scanObject(buf, i, stop);
            if (state == ROOT) {
                validate(buf, segmentStart, i);
                if (!parserClosedTopLevelObject()) {
                    // Unreachable for input the parser accepted; refuse rather than store a bad line.
                    throw new FramingException(Reason.MALFORMED, base + i - 1, "object end not confirmed by parser", null);
                }
                out[outPos++] = '\n';
                committedBytes = outPos;
                committedLines++;
                segmentStart = -1;
            } else if (i < end) {
                throw reject(buf, i, Reason.TOO_LARGE, "object starting at byte offset " + objectStart
                        + " is larger than " + MAX_OBJECT_BYTES + " bytes");
            }
        }
        if (segmentStart >= 0) {
            validate(buf, segmentStart, end);
        }
    }

    /** Between objects: skips whitespace (and a leading BOM) up to the next {@code '{'}. */
    private int scanRoot(byte[] buf, int i, int end) throws FramingException {
        while (i < end) {
            int b = buf[i] & 0xFF;
            long at = base + i;
            switch (state) {
                case BOM_2, BOM_3 -> {
                    if (b != (state == BOM_2 ? 0xBB : 0xBF)) {
                        throw new FramingException(Reason.MALFORMED, at, "incomplete byte-order mark", null);
                    }
                    state = state == BOM_2 ? BOM_3 : ROOT;
                }
                default -> {
                    if (b == '{') {
                        startObject(i);
                        return i + 1;
                    } else if (b == 0xEF && at == 0) {
                        state = BOM_2;
                    } else if (!isWhitespace(b)) {
                        throw rootValueError(b, at);
                    }
                }
            }
            i++;
        }
        return i;
    }

    private void startObject(int i) {
        if (parser == null) {
            openParser();
        }
        objectStart = base + i;
        parserDelta = objectStart - parserFed;
        segmentStart = i;
        state = OBJECT;
        depth = 1;
        out[outPos++] = '{';
    }

    /**
     * Inside an object: copies significant bytes, tracks strings and depth. Returns the index after
     * the last consumed byte; the state is {@link #ROOT} if that byte closed the object.
     */
    private int scanObject(byte[] buf, int i, int stop) throws FramingException {
        final byte[] o = out;
        int p = outPos;
        int st = state;
        int d = depth;
        while (i < stop) {
            int b = buf[i] & 0xFF;
            if (st == STRING) {
                int run = i;
                while (i < stop && PLAIN_STRING_BYTE[buf[i] & 0xFF]) {
                    i++;
                }
                System.arraycopy(buf, run, o, p, i - run);
                p += i - run;
                if (i == stop) {
                    break;
                }
                b = buf[i] & 0xFF;
                if (b == '"') {
                    st = OBJECT;
                } else if (b == '\\') {
                    st = ESCAPE;
                } else if (b >= 0x80) {
                    if (!startUtf8(b)) {
                        throw reject(buf, i, Reason.INVALID_UTF8, "byte 0x" + Integer.toHexString(b) + " cannot start a UTF-8 character");
                    }
                    st = UTF8_TAIL;
                }
                // A control character is copied here and rejected by the parser.
                o[p++] = (byte) b;
            } else if (st == OBJECT) {
                switch (b) {
                    case ' ', '\n', '\r', '\t' -> { }
                    case '"' -> {
                        st = STRING;
                        o[p++] = (byte) b;
                    }
                    case '{', '[' -> {
                        if (++d > MAX_NESTING_DEPTH) {
                            throw reject(buf, i, Reason.TOO_DEEP, "nesting deeper than " + MAX_NESTING_DEPTH);
                        }
                        o[p++] = (byte) b;
                    }
                    case '}', ']' -> {
                        // Jackson's non-blocking parser lets "," or ":" right before a closing
                        // bracket through when a read ends after the separator (found by
                        // FramerFuzz); the compacted output shows the previous token directly.
                        if (o[p - 1] == ',' || o[p - 1] == ':') {
                            throw reject(buf, i, Reason.MALFORMED, (o[p - 1] == ',' ? "trailing comma" : "missing value")
                                    + " before '" + (char) b + "'");
                        }
                        o[p++] = (byte) b;
                        if (--d == 0) {
                            outPos = p;
                            state = ROOT;
                            return i + 1;
                        }
                    }
                    default -> o[p++] = (byte) b;
                }
            } else if (st == ESCAPE) {
                // Any byte: the parser rejects an invalid escape before this object can complete.
                o[p++] = (byte) b;
                st = STRING;
            } else {
                if (b < utf8Min || b > utf8Max) {
                    throw reject(buf, i, Reason.INVALID_UTF8, "byte 0x" + Integer.toHexString(b) + " is not a valid UTF-8 continuation here");
                }
                o[p++] = (byte) b;
                utf8Min = 0x80;
                utf8Max = 0xBF;
                if (--utf8Remaining == 0) {
                    st = STRING;
                }
            }
            i++;
        }
        outPos = p;
        state = st;
        depth = d;
        return i;
    }

    /** Sets up the continuation bytes a lead byte needs (Unicode Table 3-7); false if invalid. */
    private boolean startUtf8(int lead) {
        utf8Min = 0x80;
        utf8Max = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            utf8Remaining = 1;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            utf8Remaining = 2;
            if (lead == 0xE0) {
                utf8Min = 0xA0; // overlong
            } else if (lead == 0xED) {
                utf8Max = 0x9F; // UTF-16 surrogates
            }
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            utf8Remaining = 3;
            if (lead == 0xF0) {
                utf8Min = 0x90; // overlong
            } else if (lead == 0xF4) {
                utf8Max = 0x8F; // above U+10FFFF
            }
        } else {
            return false;
        }
        return true;
    }

    /**
     * The scanner found a problem at {@code buf[at]}; an earlier syntax error, which the parser has
     * not seen yet, takes precedence, so the parser checks the bytes before it first.
     */
    private FramingException reject(byte[] buf, int at, Reason reason, String detail) throws FramingException {
        validate(buf, segmentStart, at);
        return new FramingException(reason, base + at, detail, null);
    }

    private static FramingException rootValueError(int b, long at) {
        return switch (b) {
            case '[', '"', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 't', 'f', 'n' ->
                    new FramingException(Reason.NOT_AN_OBJECT, at, "a top-level value must be an object", null);
            default -> new FramingException(Reason.MALFORMED, at,
                    "unexpected byte 0x" + Integer.toHexString(b) + " between objects", null);
        };
    }

    /** Lets the parser check {@code buf[from, to)}, the continuation of the current object. */
    private void validate(byte[] buf, int from, int to) throws FramingException {
        if (from >= to) {
            return;
        }
        try {
            feeder.feedInput(buf, from, to);
            parserFed += to - from;
            // Tokens are only validated; the scanner already copied their bytes.
            for (JsonToken t = parser.nextToken(); t != JsonToken.NOT_AVAILABLE; t = parser.nextToken()) {
                lastToken = t;
            }
        } catch (JsonProcessingException e) {
            long at = e.getLocation() != null ? e.getLocation().getByteOffset() + parserDelta : base + to - 1;
            throw new FramingException(Reason.MALFORMED, at, e.getOriginalMessage(), e);
        } catch (IOException | RuntimeException e) {
            // Not expected from Jackson for any input; the contract is still one exception type.
            throw new FramingException(Reason.MALFORMED, base + to - 1, e.toString(), e);
        }
    }

    private void openParser() {
        try {
            parser = jsonFactory.createNonBlockingByteArrayParser();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
        parserFed = 0;
    }

    private boolean parserClosedTopLevelObject() {
        return lastToken == JsonToken.END_OBJECT && parser.getParsingContext().inRoot();
    }

    /** True if at least one complete line is waiting for {@link #takeBatch()}. */
    public boolean hasLines() {
        return committedLines > 0;
    }

    /**
     * Hands out the completed lines in a fresh exact-size array (the receiver owns it) and keeps
     * only the object in progress. Returns an empty batch if there are no lines.
     */
    public LineBatch takeBatch() {
        LineBatch batch = new LineBatch(Arrays.copyOf(out, committedBytes), committedBytes, committedLines);
        int pending = outPos - committedBytes;
        byte[] target = out.length > RETAINED_OUTPUT_BYTES && pending <= RETAINED_OUTPUT_BYTES / 2
                ? new byte[Math.max(INITIAL_OUTPUT_BYTES, pending)]
                : out;
        System.arraycopy(out, committedBytes, target, 0, pending);
        out = target;
        outPos = pending;
        committedBytes = 0;
        committedLines = 0;
        return batch;
    }

    /**
     * Gives back memory while the stream is quiet: shrinks a mostly empty output buffer, and
     * between objects releases the parser (a new one is created at the next object). Framing goes
     * on unchanged; calling it while busy only costs re-allocation.
     */
    public void trim() {
        // Only when mostly empty: a slow client's partial object would otherwise be copied each time.
        if (out.length > 2L * outPos + INITIAL_OUTPUT_BYTES) {
            out = outPos == 0 ? NO_BYTES : Arrays.copyOf(out, outPos);
        }
        if (state == ROOT && parser != null) {
            closeParser();
        }
    }

    /**
     * The stream ended. An object in progress is dropped; completed lines remain takeable.
     *
     * @return true if an incomplete object was dropped
     */
    public boolean endOfInput() {
        boolean truncated = state >= OBJECT && state != FINISHED;
        state = FINISHED;
        outPos = committedBytes;
        return truncated;
    }

    /** Releases the parser's buffers. */
    @Override
    public void close() {
        state = FINISHED;
        if (parser != null) {
            closeParser();
        }
    }

    private void closeParser() {
        try {
            parser.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            parser = null;
            feeder = null;
        }
    }

    private void ensureOutputCapacity(int extra) {
        int needed = Math.addExact(outPos, extra);
        if (needed > out.length) {
            int grown = Math.max(INITIAL_OUTPUT_BYTES, Math.min(2 * out.length, Integer.MAX_VALUE - 8));
            out = Arrays.copyOf(out, Math.max(needed, grown));
        }
    }

    private static boolean isWhitespace(int b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    private static boolean[] plainStringBytes() {
        boolean[] plain = new boolean[256];
        for (int b = 0x20; b < 0x80; b++) {
            plain[b] = b != '"' && b != '\\';
        }
        return plain;
    }
}
