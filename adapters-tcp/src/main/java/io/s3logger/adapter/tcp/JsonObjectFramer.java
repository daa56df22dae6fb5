package io.s3logger.adapter.tcp;

import io.s3logger.adapter.tcp.FramingException.Reason;
import io.s3logger.domain.model.LineBatch;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Cuts one connection's byte stream into JSON objects and turns each into one stored line: the
 * object with all insignificant whitespace removed, then {@code '\n'}.
 *
 * <p>Push-based: {@link #feed} takes bytes as they arrive, split anywhere. Objects may be separated
 * by JSON whitespace, by NUL bytes (GELF over TCP ends each object with one) or by nothing; a UTF-8
 * byte-order mark is skipped at the very start of the stream only. Inside an object a NUL is an
 * error like any other control character. Every byte of a value is copied verbatim (numbers, escapes, key order, duplicate
 * keys); only whitespace between tokens is dropped. Completed lines accumulate until {@link
 * #takeBatch()}.
 *
 * <p>One pass over the bytes: a resumable state machine that compacts, finds object boundaries,
 * enforces the size, depth and strict UTF-8 rules, and checks the complete RFC 8259 grammar (token
 * order per nesting level, literals, the exact number grammar, string escapes, no raw control
 * characters in strings). The common tokens are taken whole (strings, digit runs and indentation
 * eight bytes at a time); a token cut by the end of a read, or a byte that needs context, is left
 * to the byte-by-byte states from that exact byte. Like Jackson, which it replaced for speed and is
 * checked against in the tests, it refuses a key whose {@code \}{@code u} escapes hold a broken
 * surrogate pair; in values such escapes are kept as sent. Errors are reported at the first byte
 * that cannot continue valid JSON, so the first problem in the stream wins and the outcome does not
 * depend on the reads.
 *
 * <p>Not thread-safe: one instance per connection. After a {@link FramingException} or {@link
 * #endOfInput()} the framer accepts no more input, but lines completed before remain takeable.
 */
public final class JsonObjectFramer implements AutoCloseable {

    /** Smallest output buffer allocated; a framer that has seen no byte has none at all. */
    private static final int INITIAL_OUTPUT_BYTES = 4 * 1024;
    /**
     * A busy connection keeps an output buffer up to this size between reads (a 64 KiB read needs
     * about 96 KiB); a larger one, grown for a huge object, shrinks back once that object is taken.
     */
    private static final int RETAINED_OUTPUT_BYTES = 256 * 1024;
    private static final byte[] NO_BYTES = new byte[0];

    // States between objects; every state above FINISHED is inside an object.
    private static final int ROOT = 0;
    private static final int BOM_2 = 1;
    private static final int BOM_3 = 2;
    private static final int FINISHED = 3;
    // Between tokens: what may come next.
    private static final int KEY_OR_END = 4;
    private static final int KEY = 5;
    private static final int COLON = 6;
    private static final int VALUE_OR_END = 7;
    private static final int VALUE = 8;
    private static final int AFTER_VALUE = 9;
    // Inside a string (a key if inKey).
    private static final int STRING = 10;
    private static final int ESCAPE = 11;
    private static final int HEX = 12;
    private static final int UTF8_TAIL = 13;
    /** A key's high-surrogate escape must be followed by {@code \}{@code u} and a low surrogate. */
    private static final int LOW_SURROGATE_BACKSLASH = 14;
    // Inside a number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    private static final int MINUS = 15;
    private static final int ZERO = 16;
    private static final int INT = 17;
    private static final int DOT = 18;
    private static final int FRACTION = 19;
    private static final int EXP = 20;
    private static final int EXP_SIGN = 21;
    private static final int EXP_DIGITS = 22;
    /** Inside true, false or null. */
    private static final int LITERAL = 23;

    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    /** Bytes copied as-is in a string's fast path: printable ASCII except {@code "} and {@code \}. */
    private static final boolean[] PLAIN_STRING_BYTE = plainStringBytes();
    /** Second bytes of the escapes that are valid wherever they appear: all but {@code \}{@code u}. */
    private static final boolean[] SIMPLE_ESCAPE = simpleEscapes();
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    // The literals as little-endian words, to compare four bytes at once.
    private static final int TRUE_WORD = word("true");
    private static final int NULL_WORD = word("null");
    private static final int ALSE_WORD = word("alse");
    /** Value of a hexadecimal digit, -1 for any other byte. */
    private static final byte[] HEX_VALUE = hexValues();

    private final int maxObjectBytes;
    private final int maxDepth;
    private byte[] out = NO_BYTES;
    private int committedBytes;
    private int committedLines;
    private int outPos;

    private int state = ROOT;
    /** Nesting depth of the current position; 1 inside the top-level object. */
    private int depth;
    /** Bit {@code d} is set if the container at depth {@code d} is an object, clear if an array. */
    private final long[] objectAtDepth;
    private boolean inKey;
    private int hexRemaining;
    private int hexValue;
    /** Inside a key: the escape just decoded was a high surrogate, so a low one must follow. */
    private boolean highSurrogate;
    private byte[] literal;
    private int literalPos;
    private int utf8Remaining;
    private int utf8Min;
    private int utf8Max;

    /** During a {@link #feed}: the stream offset of {@code buf[i]} is {@code base + i}. */
    private long base;
    private long objectStart;
    /** Bytes of the stream consumed by earlier feeds. */
    private long consumed;

    /** A framer for one stream that rejects objects beyond {@code limits}. */
    public JsonObjectFramer(FramingLimits limits) {
        this.maxObjectBytes = limits.maxObjectBytes();
        this.maxDepth = limits.maxDepth();
        this.objectAtDepth = new long[maxDepth / 64 + 1];
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
            if (state < FINISHED) {
                i = scanRoot(buf, i, end);
                continue;
            }
            i = scanObject(buf, i, end);
            if (state == ROOT) {
                out[outPos++] = '\n';
                committedBytes = outPos;
                committedLines++;
            } else if (i < end) {
                throw new FramingException(Reason.TOO_LARGE, base + i, "object starting at byte offset " + objectStart
                        + " is larger than " + maxObjectBytes + " bytes");
            }
        }
    }

    /** Between objects: skips whitespace and NULs (and a leading BOM) up to the next {@code '{'}. */
    private int scanRoot(byte[] buf, int i, int end) throws FramingException {
        while (i < end) {
            int b = buf[i] & 0xFF;
            long at = base + i;
            switch (state) {
                case BOM_2, BOM_3 -> {
                    if (b != (state == BOM_2 ? 0xBB : 0xBF)) {
                        throw new FramingException(Reason.MALFORMED, at, "incomplete byte-order mark");
                    }
                    state = state == BOM_2 ? BOM_3 : ROOT;
                }
                default -> {
                    if (b == '{') {
                        objectStart = at;
                        state = KEY_OR_END;
                        depth = 1;
                        objectAtDepth[0] |= 2L;
                        out[outPos++] = '{';
                        return i + 1;
                    } else if (b == 0xEF && at == 0) {
                        state = BOM_2;
                    } else if (!isWhitespace(b) && b != 0) {
                        throw rootValueError(b, at);
                    }
                }
            }
            i++;
        }
        return i;
    }

    /**
     * Inside an object, and on through each object that follows a newline directly: checks the
     * grammar, copies significant bytes, tracks depth and commits each such object's line. Stops
     * at {@code end} or at the object's size limit, or after an object not followed that way.
     * Returns the index after the last consumed byte; the state is {@link #ROOT} if that byte
     * closed an object (whose line the caller then ends).
     *
     * <p>The common tokens are taken whole: a string, number or literal that ends before {@code
     * stop} and needs no byte-by-byte check, with the colon or comma after it. Anything else (a
     * token cut by {@code stop}, an escape or byte that needs context, an error) is left to the
     * byte-by-byte states at the exact byte where the fast path stopped, so the outcome is the same.
     */
    private int scanObject(byte[] buf, int i, int end) throws FramingException {
        // Significant bytes are copied in runs, from copyFrom up to the next whitespace between
        // tokens or the end: compact objects, one a line, are copied in one piece.
        int copyFrom = i;
        int st = state;
        int d = depth;
        int stop = objectStop(end);
        try {
            while (true) {
                scanning:
                while (i < stop) {
                    int b = buf[i] & 0xFF;
                    if (st <= AFTER_VALUE && b <= ' ' && isWhitespace(b)) {
                        append(buf, copyFrom, i);
                        i = skipWhitespace(buf, i + 1, stop);
                        copyFrom = i;
                        continue;
                    }
                    switch (st) {
                        case KEY_OR_END, KEY, VALUE_OR_END, VALUE -> {
                            // Members (key, colon, scalar value, comma) and array elements, in one loop
                            // while each token ends before stop and needs no byte-by-byte check.
                            boolean inObject = isObject(d);
                            while (true) {
                                int j; // after the key or value just taken whole
                                if (st <= KEY) {
                                    if (b != '"') {
                                        if (!isWhitespace(b)) {
                                            break;
                                        }
                                        append(buf, copyFrom, i);
                                        i = skipWhitespace(buf, i + 1, stop);
                                        copyFrom = i;
                                        if (i == stop) {
                                            continue scanning;
                                        }
                                        b = buf[i] & 0xFF;
                                        continue;
                                    }
                                    j = scanString(buf, i + 1, stop, true);
                                    if (j < 0) {
                                        i = ~j;
                                        st = STRING;
                                        inKey = true;
                                        continue scanning;
                                    } else if (j == stop || buf[j] != ':') {
                                        i = j;
                                        st = COLON;
                                        continue scanning;
                                    }
                                    i = j + 1;
                                    st = VALUE;
                                    if (i == stop) {
                                        continue scanning;
                                    }
                                    b = buf[i] & 0xFF;
                                }
                                if (b == '"') {
                                    j = scanString(buf, i + 1, stop, false);
                                    if (j < 0) {
                                        i = ~j;
                                        st = STRING;
                                        inKey = false;
                                        continue scanning;
                                    }
                                } else if (isDigit(b) || b == '-') {
                                    j = scanNumber(buf, i, stop);
                                    if (j < 0) {
                                        st = b == '-' ? MINUS : b == '0' ? ZERO : INT;
                                        i++;
                                        continue scanning;
                                    }
                                } else if (b == 't' || b == 'f' || b == 'n') {
                                    j = scanLiteral(buf, i, stop, b);
                                    if (j < 0) {
                                        literal = b == 't' ? TRUE : b == 'f' ? FALSE : NULL;
                                        literalPos = 1;
                                        st = LITERAL;
                                        i++;
                                        continue scanning;
                                    }
                                } else if (isWhitespace(b)) {
                                    append(buf, copyFrom, i);
                                    i = skipWhitespace(buf, i + 1, stop);
                                    copyFrom = i;
                                    if (i == stop) {
                                        continue scanning;
                                    }
                                    b = buf[i] & 0xFF;
                                    continue;
                                } else {
                                    break;
                                }
                                if (j == stop || buf[j] != ',') {
                                    i = j;
                                    st = AFTER_VALUE;
                                    continue scanning;
                                }
                                i = j + 1;
                                st = inObject ? KEY : VALUE;
                                if (i == stop) {
                                    continue scanning;
                                }
                                b = buf[i] & 0xFF;
                            }
                            // A container's start or end, or an error.
                            if (st <= KEY) {
                                if (b != '}' || st != KEY_OR_END) {
                                    throw unexpected(i, b, st == KEY ? "a key" : "a key or '}'");
                                }
                                st = close(--d);
                                if (d == 0) {
                                    i++;
                                    break scanning;
                                }
                            } else if (b == '{' || b == '[') {
                                if (++d > maxDepth) {
                                    throw error(Reason.TOO_DEEP, i, "nesting deeper than " + maxDepth);
                                }
                                if (b == '{') {
                                    objectAtDepth[d >>> 6] |= 1L << d;
                                    st = KEY_OR_END;
                                } else {
                                    objectAtDepth[d >>> 6] &= ~(1L << d);
                                    st = VALUE_OR_END;
                                }
                            } else if (b == ']' && st == VALUE_OR_END) {
                                st = close(--d); // an array is never the top level
                            } else {
                                throw unexpected(i, b, st == VALUE ? "a value" : "a value or ']'");
                            }
                        }
                        case AFTER_VALUE -> {
                            boolean inObject = isObject(d);
                            if (b == ',') {
                                st = inObject ? KEY : VALUE;
                            } else if (b == (inObject ? '}' : ']')) {
                                st = close(--d);
                                if (d == 0) {
                                    i++;
                                    break scanning;
                                }
                            } else {
                                throw unexpected(i, b, inObject ? "',' or '}'" : "',' or ']'");
                            }
                        }
                        case STRING -> {
                            int j = scanString(buf, i, stop, inKey);
                            if (j >= 0) {
                                i = j;
                                st = inKey ? COLON : AFTER_VALUE;
                                continue;
                            }
                            i = ~j;
                            if (i == stop) {
                                continue;
                            }
                            b = buf[i] & 0xFF;
                            if (b == '\\') {
                                st = ESCAPE;
                            } else if (b >= 0x80) {
                                if (!startUtf8(b)) {
                                    throw error(Reason.INVALID_UTF8, i, "byte 0x" + Integer.toHexString(b) + " cannot start a UTF-8 character");
                                }
                                st = UTF8_TAIL;
                            } else {
                                throw error(Reason.MALFORMED, i, "unescaped control character 0x" + Integer.toHexString(b) + " in a string");
                            }
                        }
                        case COLON -> {
                            if (b == ':') {
                                st = VALUE;
                            } else {
                                throw unexpected(i, b, "':' after a key");
                            }
                        }
                        case INT, FRACTION, EXP_DIGITS -> {
                            // The common case: a run of digits, then the byte that ends the number.
                            i = skipDigits(buf, i, stop);
                            if (i == stop) {
                                continue;
                            }
                            b = buf[i] & 0xFF;
                            if (b == '.' && st == INT) {
                                st = DOT;
                            } else if ((b == 'e' || b == 'E') && st != EXP_DIGITS) {
                                st = EXP;
                            } else {
                                st = AFTER_VALUE; // this byte is not part of the number: look at it again
                                continue;
                            }
                        }
                        case ZERO -> {
                            if (b == '.') {
                                st = DOT;
                            } else if (b == 'e' || b == 'E') {
                                st = EXP;
                            } else if (isDigit(b)) {
                                throw unexpected(i, b, "no digit after a leading zero");
                            } else {
                                st = AFTER_VALUE;
                                continue;
                            }
                        }
                        default -> st = step(st, b, i);
                    }
                    i++;
                }
                // The usual case after an object: a newline, then the next object. The newline is
                // the line's end: it stays in the run, and the next object is taken here.
                if (st != ROOT || i + 1 >= end || buf[i] != '\n' || buf[i + 1] != '{') {
                    break;
                }
                committedBytes = outPos + ++i - copyFrom;
                committedLines++;
                objectStart = base + i;
                stop = objectStop(end);
                objectAtDepth[0] |= 2L;
                d = 1;
                st = KEY_OR_END;
                i++;
            }
        } finally {
            append(buf, copyFrom, i);
            state = st;
            depth = d;
        }
        return i;
    }

    /** Appends {@code buf[from, to)} to the output; runs of up to 16 bytes (pretty input's tokens) without a call. */
    private void append(byte[] buf, int from, int to) {
        int n = to - from;
        if (n >= Long.BYTES && n <= 2 * Long.BYTES) {
            LONGS.set(out, outPos, (long) LONGS.get(buf, from));
            LONGS.set(out, outPos + n - Long.BYTES, (long) LONGS.get(buf, to - Long.BYTES));
        } else if (n < Long.BYTES && from <= buf.length - Long.BYTES && outPos <= out.length - Long.BYTES) {
            LONGS.set(out, outPos, (long) LONGS.get(buf, from)); // the bytes beyond n are overwritten later
        } else {
            System.arraycopy(buf, from, out, outPos, n);
        }
        outPos += n;
    }

    /** Index of the first byte at or after {@code i} that is not whitespace, or {@code stop}; spaces (indentation) eight at a time. */
    private static int skipWhitespace(byte[] buf, int i, int stop) {
        int lastWord = buf.length - Long.BYTES;
        while (i < stop && i <= lastWord) {
            long x = (long) LONGS.get(buf, i) ^ 0x2020202020202020L; // spaces become zero bytes
            long nonSpace = ((x & 0x7F7F7F7F7F7F7F7FL) + 0x7F7F7F7F7F7F7F7FL | x) & 0x8080808080808080L;
            if (nonSpace != 0) {
                i += Long.numberOfTrailingZeros(nonSpace) >>> 3;
                break;
            }
            i += Long.BYTES;
        }
        while (i < stop && isWhitespace(buf[i])) {
            i++;
        }
        return Math.min(i, stop);
    }

    /** Where the current object must have ended by, within a feed that ends at {@code end}. */
    private int objectStop(int end) {
        return (int) Math.min(end, objectStart + maxObjectBytes - base);
    }

    /** True if the container at depth {@code d} is an object, false if an array. */
    private boolean isObject(int d) {
        return (objectAtDepth[d >>> 6] & 1L << d) != 0;
    }

    /**
     * Scans string content from {@code buf[i]} (after the opening quote, or where the byte-by-byte
     * states left off). Returns the index after the closing quote if the rest of the string ends
     * before {@code stop} and holds only plain bytes (see {@link #PLAIN_STRING_BYTE}), well-formed
     * UTF-8 characters and escapes that need no context (all but {@code \}{@code u} in a key).
     * Otherwise returns the complement ({@code ~}) of the index of the first byte the states must
     * take: an escape, a byte that does not start a well-formed character, or {@code stop}.
     *
     * <p>Tests eight bytes at a time, and reads (but never takes) bytes beyond {@code stop} if the
     * array has them.
     */
    private static int scanString(byte[] buf, int i, int stop, boolean key) {
        int lastWord = buf.length - Long.BYTES;
        while (true) {
            if (i <= lastWord) {
                long special = stringSpecials((long) LONGS.get(buf, i));
                if (special == 0) {
                    i += Long.BYTES;
                    if (i >= stop) {
                        return ~stop;
                    }
                    continue;
                }
                i += Long.numberOfTrailingZeros(special) >>> 3;
            } else {
                while (i < stop && PLAIN_STRING_BYTE[buf[i] & 0xFF]) {
                    i++;
                }
            }
            if (i >= stop) {
                return ~stop;
            }
            int b = buf[i];
            if (b == '"') {
                return i + 1;
            } else if (b == '\\' && i + 1 < stop && SIMPLE_ESCAPE[buf[i + 1] & 0xFF]) {
                i += 2;
            } else if (b == '\\' && !key && i + 5 < stop && buf[i + 1] == 'u' && isHex4(buf, i + 2)) {
                i += 6;
            } else if (b < 0) {
                // Text in most languages is a run of such characters: take it here, not a word each.
                do {
                    int lead = buf[i] & 0xFF;
                    if (lead >= 0xC2 && lead <= 0xDF && i + 1 < stop && buf[i + 1] < (byte) 0xC0) {
                        i += 2; // Latin, Greek, Cyrillic, ...: a lead and a continuation byte (80-BF)
                    } else if (lead >= 0xE1 && lead <= 0xEF && lead != 0xED && i + 2 < stop
                            && buf[i + 1] < (byte) 0xC0 && buf[i + 2] < (byte) 0xC0) {
                        i += 3; // most of the BMP, CJK included (E0 and ED allow fewer second bytes)
                    } else {
                        int length = completeUtf8Character(buf, i, stop);
                        if (length == 0) {
                            return ~i;
                        }
                        i += length;
                    }
                } while (i < stop && buf[i] < 0);
            } else {
                return ~i;
            }
        }
    }

    /**
     * Per byte of {@code x}, bit 7 set if the byte is {@code "}, {@code \}, below 0x20 or 0x80 and
     * above (the usual SWAR tests). A borrow can only mark bytes after a real hit, so the lowest
     * marked byte is exact.
     */
    private static long stringSpecials(long x) {
        long quote = x ^ 0x2222222222222222L;
        long backslash = x ^ 0x5C5C5C5C5C5C5C5CL;
        return (x | (x - 0x2020202020202020L) | ((quote - 0x0101010101010101L) & ~quote)
                | ((backslash - 0x0101010101010101L) & ~backslash)) & 0x8080808080808080L;
    }

    private static boolean isHex4(byte[] buf, int i) {
        return (HEX_VALUE[buf[i] & 0xFF] | HEX_VALUE[buf[i + 1] & 0xFF] | HEX_VALUE[buf[i + 2] & 0xFF] | HEX_VALUE[buf[i + 3] & 0xFF]) >= 0;
    }

    /**
     * The index after the number that starts at {@code buf[i]} if it is well-formed and a byte that
     * cannot continue it follows before {@code stop}; -1 otherwise (the states then take it byte by
     * byte, with their exact error).
     */
    private static int scanNumber(byte[] buf, int i, int stop) {
        if (buf[i] == '-' && ++i == stop) {
            return -1;
        }
        int b = buf[i];
        if (b == '0') {
            i++;
        } else if (b >= '1' && b <= '9') {
            i = skipDigits(buf, i + 1, stop);
        } else {
            return -1;
        }
        if (i == stop) {
            return -1;
        }
        b = buf[i];
        if (b == '.') {
            int digits = skipDigits(buf, ++i, stop);
            if (digits == i || digits == stop) {
                return -1;
            }
            i = digits;
            b = buf[i];
        }
        if (b == 'e' || b == 'E') {
            if (++i < stop && (buf[i] == '+' || buf[i] == '-')) {
                i++;
            }
            int digits = skipDigits(buf, i, stop);
            if (digits == i || digits == stop) {
                return -1;
            }
            i = digits;
            b = buf[i];
        }
        return isDigit(b) ? -1 : i; // a digit can only follow a leading zero here: an error
    }

    /** Index of the first byte at or after {@code i} that is not an ASCII digit, or {@code stop}. */
    private static int skipDigits(byte[] buf, int i, int stop) {
        int lastWord = buf.length - Long.BYTES;
        while (i < stop && i <= lastWord) {
            long x = (long) LONGS.get(buf, i);
            // Per byte, bit 7 set if the byte is 0x80 and above, or its low seven bits are below
            // '0' or above '9'; no carry crosses a byte.
            long low = x & 0x7F7F7F7F7F7F7F7FL;
            long nonDigit = (x | (low + 0x4646464646464646L) | ~(low + 0x5050505050505050L)) & 0x8080808080808080L;
            if (nonDigit != 0) {
                return Math.min(stop, i + (Long.numberOfTrailingZeros(nonDigit) >>> 3));
            }
            i += Long.BYTES;
        }
        while (i < stop && isDigit(buf[i])) {
            i++;
        }
        return Math.min(i, stop);
    }

    /**
     * The index after {@code true}, {@code false} or {@code null} (by first byte {@code b}) at
     * {@code buf[i]} if it is whole before {@code stop}, else -1.
     */
    private static int scanLiteral(byte[] buf, int i, int stop, int b) {
        if (b == 'f') {
            return i + 5 <= stop && (int) INTS.get(buf, i + 1) == ALSE_WORD ? i + 5 : -1;
        }
        return i + 4 <= stop && (int) INTS.get(buf, i) == (b == 't' ? TRUE_WORD : NULL_WORD) ? i + 4 : -1;
    }

    /**
     * The rarer states, each consuming byte {@code b} at {@code buf[i]}: number parts after a sign,
     * point or exponent, literals, escapes, and UTF-8 continuation bytes. Kept out of {@link
     * #scanObject} so that its hot loop stays small. Returns the next state.
     */
    private int step(int st, int b, int i) throws FramingException {
        switch (st) {
            case MINUS -> {
                if (b == '0') {
                    st = ZERO;
                } else if (isDigit(b)) {
                    st = INT;
                } else {
                    throw unexpected(i, b, "a digit after '-'");
                }
            }
            case DOT -> {
                if (!isDigit(b)) {
                    throw unexpected(i, b, "a digit after the decimal point");
                }
                st = FRACTION;
            }
            case EXP -> {
                if (b == '+' || b == '-') {
                    st = EXP_SIGN;
                } else if (isDigit(b)) {
                    st = EXP_DIGITS;
                } else {
                    throw unexpected(i, b, "a sign or digit in the exponent");
                }
            }
            case EXP_SIGN -> {
                if (!isDigit(b)) {
                    throw unexpected(i, b, "a digit in the exponent");
                }
                st = EXP_DIGITS;
            }
            case LITERAL -> {
                if (b != literal[literalPos]) {
                    throw unexpected(i, b, "'" + (char) literal[literalPos] + "' in " + new String(literal, StandardCharsets.US_ASCII));
                }
                if (++literalPos == literal.length) {
                    st = AFTER_VALUE;
                }
            }
            case ESCAPE -> {
                switch (b) {
                    case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> st = STRING;
                    case 'u' -> {
                        st = HEX;
                        hexRemaining = 4;
                        hexValue = 0;
                    }
                    default -> throw unexpected(i, b, "an escape: one of \" \\ / b f n r t u");
                }
                if (highSurrogate && inKey && b != 'u') {
                    throw brokenPair(i);
                }
            }
            case HEX -> {
                int v = HEX_VALUE[b];
                if (v < 0) {
                    throw unexpected(i, b, "a hexadecimal digit in a \\u escape");
                }
                hexValue = hexValue << 4 | v;
                if (--hexRemaining == 0) {
                    st = inKey ? checkKeySurrogate(i) : STRING;
                }
            }
            case UTF8_TAIL -> {
                if (b < utf8Min || b > utf8Max) {
                    throw error(Reason.INVALID_UTF8, i, "byte 0x" + Integer.toHexString(b) + " is not a valid UTF-8 continuation here");
                }
                utf8Min = 0x80;
                utf8Max = 0xBF;
                if (--utf8Remaining == 0) {
                    st = STRING;
                }
            }
            case LOW_SURROGATE_BACKSLASH -> {
                if (b != '\\') {
                    throw brokenPair(i);
                }
                st = ESCAPE;
            }
            default -> throw new IllegalStateException("framer state " + st);
        }
        return st;
    }

    /** The state after a container closed, leaving depth {@code d}; {@link #ROOT} at the top. */
    private static int close(int d) {
        return d == 0 ? ROOT : AFTER_VALUE;
    }

    /** A key's {@code \}{@code u} escape ended at {@code buf[i]}: checks surrogate pairing as Jackson does. */
    private int checkKeySurrogate(int i) throws FramingException {
        boolean low = hexValue >= 0xDC00 && hexValue <= 0xDFFF;
        if (highSurrogate != low) {
            throw brokenPair(i);
        }
        highSurrogate = hexValue >= 0xD800 && hexValue <= 0xDBFF;
        return highSurrogate ? LOW_SURROGATE_BACKSLASH : STRING;
    }

    private FramingException brokenPair(int i) {
        return error(Reason.MALFORMED, i, "broken surrogate pair in a key's \\u escapes");
    }

    private FramingException unexpected(int i, int b, String expected) {
        String found = b >= 0x20 && b < 0x7F ? "'" + (char) b + "'" : "byte 0x" + Integer.toHexString(b);
        return error(Reason.MALFORMED, i, "expected " + expected + ", found " + found);
    }

    private FramingException error(Reason reason, int i, String detail) {
        return new FramingException(reason, base + i, detail);
    }

    /**
     * The length (2 to 4) of the well-formed UTF-8 character (Unicode Table 3-7) starting at
     * {@code buf[i]}, or 0 if it is ill-formed or does not end before {@code stop}: the byte-wise
     * path ({@link #startUtf8}, {@link #UTF8_TAIL}) then takes it, with its exact error.
     */
    private static int completeUtf8Character(byte[] buf, int i, int stop) {
        int lead = buf[i] & 0xFF;
        if (lead < 0xE0) {
            return lead >= 0xC2 && i + 1 < stop && isContinuation(buf[i + 1], 0x80, 0xBF) ? 2 : 0;
        }
        if (lead < 0xF0) {
            return i + 2 < stop
                    && isContinuation(buf[i + 1], lead == 0xE0 ? 0xA0 : 0x80, lead == 0xED ? 0x9F : 0xBF)
                    && isContinuation(buf[i + 2], 0x80, 0xBF) ? 3 : 0;
        }
        return lead <= 0xF4 && i + 3 < stop
                && isContinuation(buf[i + 1], lead == 0xF0 ? 0x90 : 0x80, lead == 0xF4 ? 0x8F : 0xBF)
                && isContinuation(buf[i + 2], 0x80, 0xBF)
                && isContinuation(buf[i + 3], 0x80, 0xBF) ? 4 : 0;
    }

    private static boolean isContinuation(byte b, int min, int max) {
        int v = b & 0xFF;
        return v >= min && v <= max;
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

    private static FramingException rootValueError(int b, long at) {
        return switch (b) {
            case '[', '"', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 't', 'f', 'n' ->
                    new FramingException(Reason.NOT_AN_OBJECT, at, "a top-level value must be an object");
            default -> new FramingException(Reason.MALFORMED, at,
                    "unexpected byte 0x" + Integer.toHexString(b) + " between objects");
        };
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
     * Gives back memory while the stream is quiet: shrinks a mostly empty output buffer, allocating
     * at most half of {@link #bufferBytes()}. Framing goes on unchanged; calling it while busy only
     * costs re-allocation.
     */
    public void trim() {
        // Only when mostly empty: a slow client's partial object would otherwise be copied each time.
        if (out.length > 2L * outPos + INITIAL_OUTPUT_BYTES) {
            out = outPos == 0 ? NO_BYTES : Arrays.copyOf(out, outPos);
        }
    }

    /**
     * The stream ended. An object in progress is dropped; completed lines remain takeable.
     *
     * @return true if an incomplete object was dropped
     */
    public boolean endOfInput() {
        boolean truncated = state > FINISHED;
        state = FINISHED;
        outPos = committedBytes;
        return truncated;
    }

    /** Ends the stream like {@link #endOfInput()}; holds no other resource. */
    @Override
    public void close() {
        state = FINISHED;
    }

    private void ensureOutputCapacity(int extra) {
        int needed = Math.addExact(outPos, extra);
        if (needed > out.length) {
            out = Arrays.copyOf(out, grownCapacity(needed));
        }
    }

    private int grownCapacity(int needed) {
        int grown = Math.max(INITIAL_OUTPUT_BYTES, Math.min(2 * out.length, Integer.MAX_VALUE - 8));
        return Math.max(needed, grown);
    }

    /** Heap bytes of the output buffer now (completed lines not yet taken and the object in progress). */
    public int bufferBytes() {
        return out.length;
    }

    /**
     * The most heap bytes this framer's buffers and its next batch take at once from now through a
     * {@link #feed} of {@code len} bytes and the {@link #takeBatch()} after it, until that batch is
     * released: for callers that account memory before it is allocated.
     */
    public long peakBytesFeeding(int len) {
        int needed = outPos + len + (len >> 1) + 1; // as feed reserves
        int buffer = needed > out.length ? grownCapacity(needed) : out.length;
        long growing = needed > out.length ? (long) out.length + buffer : buffer; // both while copying
        // takeBatch: the batch (at most what the buffer holds) and, if the buffer shrinks, its copy of the rest
        long taking = (long) buffer + needed + INITIAL_OUTPUT_BYTES;
        return Math.max(growing, taking);
    }

    private static boolean isWhitespace(int b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    private static boolean isDigit(int b) {
        return b >= '0' && b <= '9';
    }

    private static boolean[] plainStringBytes() {
        boolean[] plain = new boolean[256];
        for (int b = 0x20; b < 0x80; b++) {
            plain[b] = b != '"' && b != '\\';
        }
        return plain;
    }

    private static boolean[] simpleEscapes() {
        boolean[] simple = new boolean[256];
        for (char c : "\"\\/bfnrt".toCharArray()) {
            simple[c] = true;
        }
        return simple;
    }

    private static int word(String fourAscii) {
        return (int) INTS.get(fourAscii.getBytes(StandardCharsets.US_ASCII), 0);
    }

    private static byte[] hexValues() {
        byte[] values = new byte[256];
        Arrays.fill(values, (byte) -1);
        for (int b = 0; b < 16; b++) {
            values["0123456789abcdef".charAt(b)] = (byte) b;
            values["0123456789ABCDEF".charAt(b)] = (byte) b;
        }
        return values;
    }
}
