package io.s3logger.adapter.fs;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A {@link GzipMemberEncoder} on {@link Libdeflate}: compresses the whole block in one call into
 * an output buffer sized for the worst case, so a member never needs a second pass. libdeflate
 * writes the same header fields as {@link ZlibMemberEncoder} (no name, MTIME 0, OS unknown).
 */
final class LibdeflateMemberEncoder implements GzipMemberEncoder {

    private final long compressor;
    private byte[] out = new byte[0];
    private boolean ended;

    /**
     * @param level deflate level 0 (store) to 9 (best)
     * @throws IllegalStateException if libdeflate is not loaded
     */
    LibdeflateMemberEncoder(int level) {
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("compression level must be 0..9: " + level);
        }
        if (!Libdeflate.isLoaded()) {
            throw new IllegalStateException(Libdeflate.unavailableReason().orElseThrow());
        }
        this.compressor = Libdeflate.allocCompressor(level);
        if (compressor == 0) {
            throw new OutOfMemoryError("libdeflate could not allocate a compressor");
        }
    }

    @Override
    public ByteBuffer encode(byte[] input, int length) {
        Objects.checkFromIndexSize(0, length, input.length);
        if (ended) {
            throw new IllegalStateException("encoder already ended");
        }
        long bound = Libdeflate.gzipCompressBound(compressor, length);
        if (out.length < bound) {
            out = new byte[Math.toIntExact(bound)];
        }
        int size = Libdeflate.gzipCompress(compressor, input, length, out, out.length);
        if (size <= 0) { // cannot happen with a buffer of the bound's size
            throw new IllegalStateException("libdeflate returned " + size + " for " + length + " bytes");
        }
        return ByteBuffer.wrap(out, 0, size).asReadOnlyBuffer();
    }

    @Override
    public void end() {
        if (!ended) {
            ended = true;
            Libdeflate.freeCompressor(compressor);
        }
    }
}
