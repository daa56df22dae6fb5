package io.s3logger.adapter.fs;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A {@link GzipMemberEncoder} on the JDK's zlib ({@link Deflater}): the fallback where the
 * bundled libdeflate does not load. Streams the input through the deflater into a buffer that
 * grows as needed and is reused from member to member.
 */
final class ZlibMemberEncoder implements GzipMemberEncoder {

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

    /** @param level deflate level 0 (store) to 9 (best) */
    ZlibMemberEncoder(int level) {
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("compression level must be 0..9: " + level);
        }
        this.deflater = new Deflater(level, true);
        this.extraFlags = (byte) (level == 9 ? 2 : level == 1 ? 4 : 0);
    }

    @Override
    public ByteBuffer encode(byte[] input, int length) {
        deflater.reset();
        crc.reset();
        size = 0;
        writeHeader();
        crc.update(input, 0, length);
        deflater.setInput(input, 0, length);
        deflater.finish();
        while (!deflater.finished()) {
            ensureFree(MIN_FREE_BYTES);
            size += deflater.deflate(out, size, out.length - size, Deflater.NO_FLUSH);
        }
        ensureFree(TRAILER_BYTES);
        putIntLittleEndian((int) crc.getValue());
        putIntLittleEndian(length); // ISIZE is the input size modulo 2^32
        return ByteBuffer.wrap(out, 0, size).asReadOnlyBuffer();
    }

    @Override
    public void end() {
        deflater.end();
    }

    private void writeHeader() {
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
