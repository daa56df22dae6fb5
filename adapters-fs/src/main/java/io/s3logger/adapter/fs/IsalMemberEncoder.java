package io.s3logger.adapter.fs;

import com.intel.gkl.compression.IntelDeflater;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * A {@link GzipMemberEncoder} on {@link Isal} at levels 1 and 2, where GKL's {@link IntelDeflater}
 * runs ISA-L's stateless igzip: the whole block is deflated in one call into a buffer sized for
 * the worst case (ISA-L then falls back to stored blocks, so a member is never larger than the
 * input plus 5 bytes per 64 KiB). GKL writes raw deflate only; the gzip header and trailer are
 * written here, as {@link ZlibMemberEncoder} writes them (no name, MTIME 0, OS unknown).
 *
 * <p>GKL's levels 3 to 9 run its own copy of zlib, which leaks its state on every {@code end()};
 * they are not offered here ({@link DeflateEngine} uses the JDK's zlib for them). Memory: ISA-L's
 * state (a few hundred KB of native memory, freed by {@link #end()}), plus an idle JDK zlib stream
 * that {@link IntelDeflater} inherits from {@link java.util.zip.Deflater} and never ends; the
 * JDK's cleaner frees that one when the encoder is collected. The spool keeps one encoder per
 * compression thread.
 */
final class IsalMemberEncoder implements GzipMemberEncoder {

    /** Raw deflate of no input: one final block with fixed codes holding only end-of-block (GKL refuses empty input). */
    private static final byte[] EMPTY_DEFLATE = {3, 0};
    private static final int STORED_BLOCK_BYTES = 65_535;
    private static final int STORED_HEADER_BYTES = 5;

    private final IntelDeflater deflater;
    private final CRC32 crc = new CRC32();
    private final int level;
    private byte[] deflated = new byte[0];
    private byte[] member = new byte[0];
    private boolean ended;

    /**
     * @param level 1 or 2
     * @throws IllegalStateException if ISA-L is not loaded
     */
    IsalMemberEncoder(int level) {
        if (level != 1 && level != 2) {
            throw new IllegalArgumentException("ISA-L through GKL is used at levels 1 and 2 only: " + level);
        }
        if (!Isal.isLoaded()) {
            throw new IllegalStateException(Isal.unavailableReason().orElseThrow());
        }
        this.deflater = new IntelDeflater(level, true);
        this.level = level;
    }

    @Override
    public ByteBuffer encode(byte[] input, int length) {
        Objects.checkFromIndexSize(0, length, input.length);
        if (ended) {
            throw new IllegalStateException("encoder already ended");
        }
        crc.reset();
        crc.update(input, 0, length);
        if (length == 0) {
            return member(EMPTY_DEFLATE, EMPTY_DEFLATE.length, length);
        }
        int bound = length + STORED_HEADER_BYTES * ((length + STORED_BLOCK_BYTES - 1) / STORED_BLOCK_BYTES);
        if (deflated.length < bound) {
            deflated = new byte[bound];
        }
        // GKL ignores setInput's offset and refuses any deflate offset but 0: blocks start at 0.
        deflater.reset();
        deflater.setInput(input, 0, length);
        deflater.finish();
        int size = deflater.deflate(deflated, 0, deflated.length);
        if (!deflater.finished()) { // cannot happen with a buffer of the stored size
            throw new IllegalStateException("ISA-L left input over for " + length + " bytes (" + size + " written)");
        }
        return member(deflated, size, length);
    }

    /** Header, {@code body[0, bodyLength)} and trailer: one copy of the compressed bytes, since GKL cannot write at an offset. */
    private ByteBuffer member(byte[] body, int bodyLength, int inputLength) {
        int size = GzipFraming.HEADER_BYTES + bodyLength + GzipFraming.TRAILER_BYTES;
        if (member.length < size) {
            member = new byte[size + size / 8];
        }
        GzipFraming.writeHeader(member, level);
        System.arraycopy(body, 0, member, GzipFraming.HEADER_BYTES, bodyLength);
        GzipFraming.writeTrailer(member, GzipFraming.HEADER_BYTES + bodyLength, (int) crc.getValue(), inputLength);
        return ByteBuffer.wrap(member, 0, size).asReadOnlyBuffer();
    }

    @Override
    public void end() {
        if (!ended) {
            ended = true;
            deflater.end();
        }
    }
}
