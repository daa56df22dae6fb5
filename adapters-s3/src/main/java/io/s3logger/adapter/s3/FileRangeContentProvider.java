package io.s3logger.adapter.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import software.amazon.awssdk.http.ContentStreamProvider;

/**
 * The bytes {@code [offset, offset + length)} of a file as a request body, read straight from the
 * file so a part never sits in memory whole. Each {@link #newStream()} (the SDK asks again on
 * retries) starts over at {@code offset} and closes the previous stream, as the
 * {@code ContentStreamProvider} contract requires.
 */
final class FileRangeContentProvider implements ContentStreamProvider, AutoCloseable {

    private final Path file;
    private final long offset;
    private final long length;
    private InputStream current;

    FileRangeContentProvider(Path file, long offset, long length) {
        this.file = file;
        this.offset = offset;
        this.length = length;
    }

    @Override
    public synchronized InputStream newStream() {
        close();
        try {
            current = new RangeStream(FileChannel.open(file, StandardOpenOption.READ), offset, offset + length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
        return current;
    }

    @Override
    public String name() {
        return "FileRange";
    }

    @Override
    public synchronized void close() {
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                // Closing a read-only channel: nothing is lost.
            }
            current = null;
        }
    }

    /** Positional reads, so the stream needs no shared channel position. */
    private static final class RangeStream extends InputStream {
        private final FileChannel channel;
        private final long end;
        private long position;

        RangeStream(FileChannel channel, long start, long end) {
            this.channel = channel;
            this.position = start;
            this.end = end;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            long remaining = end - position;
            if (remaining <= 0) {
                return -1;
            }
            int read = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, remaining)), position);
            if (read < 0) {
                throw new IOException("file shrank while uploading: expected data up to offset " + end);
            }
            position += read;
            return read;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, end - position);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
