package io.s3logger.adapter.fs;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Compresses bytes into one complete gzip member (RFC 1952: header, raw deflate, CRC32 and
 * ISIZE trailer) held in memory. Members are independent of each other, so a file is any
 * sequence of them, and {@link BlockCompressor} runs several encoders on consecutive members in
 * parallel.
 *
 * <p>Life cycle: {@link #add} starts a member and feeds it, {@link #finish} closes it, {@link
 * #member} exposes the complete bytes until {@link #clear} makes room for the next member. The
 * output buffer and the {@link Deflater} are reused from member to member; {@link #end} frees
 * the deflater's native memory. Not thread-safe.
 */
final class GzipMemberEncoder {

    private static final int HEADER_BYTES = 10;
    private static final int TRAILER_BYTES = 8;
    /** Free space kept ahead of each deflate call, so every call makes real progress. */
    private static final int MIN_FREE_BYTES = 16 * 1024;
    private static final int INITIAL_CAPACITY_BYTES = 256 * 1024;

    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private final byte extraFlags;
    private byte[] out = new byte[INITIAL_CAPACITY_BYTES];
    private int size;
    private long memberInputBytes;
    private boolean started;
    private boolean finished;

    /** @param level deflate level 0 (store) to 9 (best) */
    GzipMemberEncoder(int level) {
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("compression level must be 0..9: " + level);
        }
        this.deflater = new Deflater(level, true);
        this.extraFlags = (byte) (level == 9 ? 2 : level == 1 ? 4 : 0);
    }

    /** Compresses {@code [offset, offset + length)} into the current member, starting one if needed. */
    void add(byte[] bytes, int offset, int length) {
        if (finished) {
            throw new IllegalStateException("member is finished; clear() it before adding");
        }
        if (!started) {
            start();
        }
        crc.update(bytes, offset, length);
        memberInputBytes += length;
        deflater.setInput(bytes, offset, length);
        // The deflater copies its input into its own window, so the caller may reuse bytes afterwards.
        while (!deflater.needsInput()) {
            ensureFree(MIN_FREE_BYTES);
            size += deflater.deflate(out, size, out.length - size, Deflater.NO_FLUSH);
        }
    }

    /** Ends the current member (an empty one if nothing was added): the rest of the deflate data and the trailer. */
    void finish() {
        if (finished) {
            return;
        }
        if (!started) {
            start();
        }
        deflater.finish();
        while (!deflater.finished()) {
            ensureFree(MIN_FREE_BYTES);
            size += deflater.deflate(out, size, out.length - size, Deflater.NO_FLUSH);
        }
        ensureFree(TRAILER_BYTES);
        putIntLittleEndian((int) crc.getValue());
        putIntLittleEndian((int) memberInputBytes); // ISIZE is the input size modulo 2^32
        finished = true;
    }

    /** The complete member, read-only; valid until {@link #clear}. */
    ByteBuffer member() {
        if (!finished) {
            throw new IllegalStateException("member is not finished");
        }
        return ByteBuffer.wrap(out, 0, size).asReadOnlyBuffer();
    }

    /** Forgets the finished member; the buffer is kept for the next one. */
    void clear() {
        started = false;
        finished = false;
        size = 0;
    }

    /** Frees the native deflater; the encoder cannot be used afterwards. */
    void end() {
        deflater.end();
    }

    private void start() {
        deflater.reset();
        crc.reset();
        memberInputBytes = 0;
        ensureFree(HEADER_BYTES);
        out[0] = (byte) 0x1f; // ID1
        out[1] = (byte) 0x8b; // ID2
        out[2] = 8; // CM = deflate
        out[3] = 0; // FLG: no name, comment, extra field or header CRC
        out[4] = 0; // MTIME = 0: not available (4 bytes)
        out[5] = 0;
        out[6] = 0;
        out[7] = 0;
        out[8] = extraFlags;
        out[9] = (byte) 0xff; // OS = unknown
        size = HEADER_BYTES;
        started = true;
    }

    private void ensureFree(int bytes) {
        if (out.length - size < bytes) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, size + bytes));
        }
    }

    private void putIntLittleEndian(int value) {
        out[size++] = (byte) value;
        out[size++] = (byte) (value >>> 8);
        out[size++] = (byte) (value >>> 16);
        out[size++] = (byte) (value >>> 24);
    }
}
