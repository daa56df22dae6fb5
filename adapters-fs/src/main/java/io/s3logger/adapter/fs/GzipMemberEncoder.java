package io.s3logger.adapter.fs;

import java.nio.ByteBuffer;

/**
 * Compresses a block of bytes into one complete gzip member (RFC 1952: header, raw deflate,
 * CRC32 and ISIZE trailer). Members are independent of each other, so a file is any sequence of
 * them, and {@link BlockCompressor} runs several encoders on consecutive members in parallel.
 * An encoder keeps its buffers and native state from member to member; it is not thread-safe.
 */
interface GzipMemberEncoder {

    /**
     * Encodes {@code input[0, length)} as one member. The returned buffer is read-only and valid
     * until the next call; the encoder does not keep {@code input}.
     */
    ByteBuffer encode(byte[] input, int length);

    /** Frees native memory; the encoder cannot be used afterwards. */
    void end();
}
