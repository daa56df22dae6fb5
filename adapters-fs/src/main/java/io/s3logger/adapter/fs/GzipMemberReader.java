package io.s3logger.adapter.fs;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes a sequence of gzip members for salvage: every byte that decodes is passed on, and a
 * truncated or corrupt member ends the stream quietly instead of failing it. Bytes of the member
 * that breaks are passed on before the break is noticed (deflate decodes a prefix of a torn
 * stream correctly); a member whose trailer does not match its data is reported as corrupt after
 * its bytes were passed on. Not thread-safe; one use per instance.
 */
final class GzipMemberReader {

    /** Receives decoded bytes; {@code bytes} is reused after the call returns. */
    @FunctionalInterface
    interface Sink {
        void accept(byte[] bytes, int offset, int length) throws IOException;
    }

    /**
     * How the stream ended.
     *
     * @param completeMembers members decoded with a matching trailer
     * @param problem why decoding stopped early, or {@code null} if the stream ended cleanly
     *     after the last complete member
     */
    record Outcome(int completeMembers, String problem) {
        boolean clean() {
            return problem == null;
        }
    }

    private static final int FHCRC = 0x02;
    private static final int FEXTRA = 0x04;
    private static final int FNAME = 0x08;
    private static final int FCOMMENT = 0x10;
    private static final int RESERVED = 0xe0;

    private final InputStream in;
    private final byte[] input = new byte[64 * 1024];
    private final byte[] output = new byte[64 * 1024];
    private int position;
    private int limit;

    GzipMemberReader(InputStream in) {
        this.in = Objects.requireNonNull(in, "in");
    }

    /**
     * Decodes members into {@code sink} until the input ends or breaks.
     *
     * @throws IOException only if reading the input or the sink fails, never for bad gzip data
     */
    Outcome readTo(Sink sink) throws IOException {
        Inflater inflater = new Inflater(true);
        CRC32 crc = new CRC32();
        try {
            int members = 0;
            while (true) {
                int first = next();
                if (first < 0) {
                    return new Outcome(members, null);
                }
                String problem = skipHeader(first);
                if (problem == null) {
                    problem = inflateMember(inflater, crc, sink);
                }
                if (problem != null) {
                    return new Outcome(members, problem + " in member " + (members + 1));
                }
                members++;
            }
        } finally {
            inflater.end();
        }
    }

    /** Reads the rest of a member header; returns a problem or {@code null}. */
    private String skipHeader(int first) throws IOException {
        int second = next();
        int method = next();
        int flags = next();
        if (flags < 0) {
            return "truncated header";
        }
        if (first != 0x1f || second != 0x8b || method != 8 || (flags & RESERVED) != 0) {
            return "not a gzip member header";
        }
        if (!skip(6)) { // MTIME, XFL, OS
            return "truncated header";
        }
        if ((flags & FEXTRA) != 0) {
            int low = next();
            int high = next();
            if (high < 0 || !skip(low | high << 8)) {
                return "truncated header";
            }
        }
        if ((flags & FNAME) != 0 && !skipZeroTerminated()) {
            return "truncated header";
        }
        if ((flags & FCOMMENT) != 0 && !skipZeroTerminated()) {
            return "truncated header";
        }
        if ((flags & FHCRC) != 0 && !skip(2)) {
            return "truncated header";
        }
        return null;
    }

    /** Inflates one member's data into {@code sink} and checks its trailer; returns a problem or {@code null}. */
    private String inflateMember(Inflater inflater, CRC32 crc, Sink sink) throws IOException {
        inflater.reset();
        crc.reset();
        long size = 0;
        while (!inflater.finished()) {
            if (inflater.needsInput()) {
                if (position == limit && !fill()) {
                    return "truncated data";
                }
                inflater.setInput(input, position, limit - position);
                position = limit;
            }
            int n;
            try {
                n = inflater.inflate(output);
            } catch (DataFormatException e) {
                return "corrupt data (" + e.getMessage() + ")";
            }
            if (n > 0) {
                crc.update(output, 0, n);
                size += n;
                sink.accept(output, 0, n);
            } else if (inflater.needsDictionary()) {
                return "corrupt data (preset dictionary)";
            }
        }
        // Input given to the inflater beyond the end of the deflate data belongs to the trailer.
        position = limit - inflater.getRemaining();
        long expectedCrc = readIntLittleEndian();
        long expectedSize = readIntLittleEndian();
        if (expectedCrc < 0 || expectedSize < 0) {
            return "truncated trailer";
        }
        if (expectedCrc != crc.getValue() || expectedSize != (size & 0xffffffffL)) {
            return "trailer does not match the data";
        }
        return null;
    }

    /** An unsigned 32-bit little-endian value, or -1 at the end of input. */
    private long readIntLittleEndian() throws IOException {
        long value = 0;
        for (int i = 0; i < 4; i++) {
            int b = next();
            if (b < 0) {
                return -1;
            }
            value |= (long) b << (8 * i);
        }
        return value;
    }

    private boolean skip(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            if (next() < 0) {
                return false;
            }
        }
        return true;
    }

    private boolean skipZeroTerminated() throws IOException {
        int b;
        do {
            b = next();
        } while (b > 0);
        return b == 0;
    }

    private int next() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return input[position++] & 0xff;
    }

    private boolean fill() throws IOException {
        int n = in.read(input);
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }
}
