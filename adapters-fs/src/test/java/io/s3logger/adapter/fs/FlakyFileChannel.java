package io.s3logger.adapter.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A real file channel that can be told to fail like a full disk: after a number of further
 * bytes, every write throws; {@code force} can fail too. Healing makes it work again.
 */
final class FlakyFileChannel extends FileChannel {

    private final FileChannel delegate;
    private long writableBytes = Long.MAX_VALUE;
    private boolean forceFails;

    FlakyFileChannel(FileChannel delegate) {
        this.delegate = delegate;
    }

    /** Writes succeed for {@code bytes} more bytes (the last one may be partial), then throw. */
    void failWritesAfter(long bytes) {
        writableBytes = bytes;
    }

    void failForce() {
        forceFails = true;
    }

    void heal() {
        writableBytes = Long.MAX_VALUE;
        forceFails = false;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        if (writableBytes == 0) {
            throw new IOException("No space left on device (injected)");
        }
        ByteBuffer part = src.duplicate();
        part.limit(part.position() + (int) Math.min(part.remaining(), writableBytes));
        int n = delegate.write(part, position);
        src.position(src.position() + n);
        writableBytes = writableBytes == Long.MAX_VALUE ? writableBytes : writableBytes - n;
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int n = write(src, delegate.position());
        delegate.position(delegate.position() + n);
        return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += write(srcs[i]);
        }
        return total;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        if (forceFails) {
            throw new IOException("Input/output error (injected)");
        }
        delegate.force(metaData);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return delegate.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return delegate.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return delegate.read(dst, position);
    }

    @Override
    public long position() throws IOException {
        return delegate.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        delegate.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        delegate.truncate(size);
        return this;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return delegate.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) {
        throw new UnsupportedOperationException("not needed by the tests");
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) {
        throw new UnsupportedOperationException("not needed by the tests");
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return delegate.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return delegate.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        delegate.close();
    }
}
