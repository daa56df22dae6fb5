package io.s3logger.adapter.fs;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A run of appended bytes that becomes one gzip member: filled by the writer thread, compressed
 * by a {@link BlockCompressor} thread, then written by the writer thread. The completion future
 * hands the member from the compressing thread to the writer (happens-before). Buffers are kept
 * when the block is recycled.
 */
final class Block {

    private final byte[] input;
    private int inputLength;
    private byte[] member = new byte[0];
    private int memberLength;
    /** Null while the block is being filled; completed once the member is ready or compressing failed. */
    private CompletableFuture<Void> compressed;

    Block(int capacityBytes) {
        this.input = new byte[capacityBytes];
    }

    /** Copies as much of {@code [offset, offset + length)} as fits; returns how many bytes were taken. */
    int take(byte[] bytes, int offset, int length) {
        int taken = Math.min(length, input.length - inputLength);
        System.arraycopy(bytes, offset, input, inputLength, taken);
        inputLength += taken;
        return taken;
    }

    int length() {
        return inputLength;
    }

    boolean isFull() {
        return inputLength == input.length;
    }

    boolean isEmpty() {
        return inputLength == 0;
    }

    /** Starts a compression attempt; the returned future is completed by whoever compresses. */
    CompletableFuture<Void> startCompression() {
        compressed = new CompletableFuture<>();
        return compressed;
    }

    /** Compresses the input into this block's member; called on a compression thread. */
    void compress(GzipMemberEncoder encoder) {
        ByteBuffer encoded = encoder.encode(input, inputLength);
        memberLength = encoded.remaining();
        if (member.length < memberLength) {
            member = new byte[memberLength + memberLength / 8];
        }
        encoded.get(member, 0, memberLength);
    }

    boolean isCompressionDone() {
        return compressed.isDone();
    }

    /** True if the current attempt ended with an exception; the block may then be submitted again. */
    boolean compressionFailed() {
        return compressed.isCompletedExceptionally();
    }

    /**
     * Waits for the current compression attempt.
     *
     * @throws IOException if it failed; the input is kept, so a new attempt can be started
     * @throws InterruptedIOException if the thread was interrupted (its interrupt flag stays set)
     */
    void awaitCompressed() throws IOException {
        try {
            compressed.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a block to be compressed");
        } catch (ExecutionException e) {
            throw new IOException("compressing a block of " + inputLength + " bytes failed", e.getCause());
        }
    }

    /** The complete member, read-only; valid after a successful {@link #awaitCompressed}. */
    ByteBuffer member() {
        return ByteBuffer.wrap(member, 0, memberLength).asReadOnlyBuffer();
    }

    /** Empties the block for reuse; the buffers are kept. */
    void clear() {
        inputLength = 0;
        memberLength = 0;
        compressed = null;
    }
}
