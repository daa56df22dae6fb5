package io.s3logger.adapter.fs;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A {@link GzipMemberEncoder} on the JDK's zlib ({@link Deflater}): the pure-JDK fallback where
 * ISA-L does not load, and the encoder for levels 0 and 3 to 9. Streams the input through the
 * deflater into a buffer that grows as needed and is reused from member to member.
 */
final class ZlibMemberEncoder implements GzipMemberEncoder {

    /** Free space kept ahead of each deflate call, so every call makes real progress. */
    private static final int MIN_FREE_BYTES = 16 * 1024;
    private static final int INITIAL_CAPACITY_BYTES = 256 * 1024;

    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private final int level;
    private byte[] out = new byte[INITIAL_CAPACITY_BYTES];
    private int size;

    /** @param level deflate level 0 (store) to 9 (best) */
    ZlibMemberEncoder(int level) {
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("compression level must be 0..9: " + level);
        }
        this.deflater = new Deflater(level, true);
        this.level = level;
    }

    @Override
    public ByteBuffer encode(byte[] input, int length) {
        deflater.reset();
        crc.reset();
        GzipFraming.writeHeader(out, level);
        size = GzipFraming.HEADER_BYTES;
        crc.update(input, 0, length);
        deflater.setInput(input, 0, length);
        deflater.finish();
        while (!deflater.finished()) {
            ensureFree(MIN_FREE_BYTES);
            size += deflater.deflate(out, size, out.length - size, Deflater.NO_FLUSH);
        }
        ensureFree(GzipFraming.TRAILER_BYTES);
        size = GzipFraming.writeTrailer(out, size, (int) crc.getValue(), length);
        return ByteBuffer.wrap(out, 0, size).asReadOnlyBuffer();
    }

    @Override
    public void end() {
        deflater.end();
    }

    private void ensureFree(int bytes) {
        if (out.length - size < bytes) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, size + bytes));
        }
    }
}
