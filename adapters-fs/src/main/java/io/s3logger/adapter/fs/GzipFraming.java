package io.s3logger.adapter.fs;

/**
 * The fixed parts of a gzip member around its raw deflate data (RFC 1952), as every encoder here
 * writes them: a 10-byte header without name, comment, extra field or header CRC, MTIME 0 and
 * OS unknown; an 8-byte trailer with the CRC32 and the input size modulo 2^32.
 */
final class GzipFraming {

    static final int HEADER_BYTES = 10;
    static final int TRAILER_BYTES = 8;

    private GzipFraming() {}

    /** Writes the header at the start of {@code out}; XFL tells readers the level's kind (RFC 1952). */
    static void writeHeader(byte[] out, int level) {
        out[0] = (byte) 0x1f; // ID1
        out[1] = (byte) 0x8b; // ID2
        out[2] = 8; // CM = deflate
        out[3] = 0; // FLG: no name, comment, extra field or header CRC
        out[4] = 0; // MTIME = 0: not available (4 bytes)
        out[5] = 0;
        out[6] = 0;
        out[7] = 0;
        out[8] = (byte) (level == 9 ? 2 : level == 1 ? 4 : 0); // XFL: 2 slowest, 4 fastest
        out[9] = (byte) 0xff; // OS = unknown
    }

    /** Writes the trailer at {@code offset} and returns the offset after it. */
    static int writeTrailer(byte[] out, int offset, int crc, int inputLength) {
        putIntLittleEndian(out, offset, crc);
        putIntLittleEndian(out, offset + 4, inputLength); // ISIZE is the input size modulo 2^32
        return offset + TRAILER_BYTES;
    }

    private static void putIntLittleEndian(byte[] out, int offset, int value) {
        out[offset] = (byte) value;
        out[offset + 1] = (byte) (value >>> 8);
        out[offset + 2] = (byte) (value >>> 16);
        out[offset + 3] = (byte) (value >>> 24);
    }
}
