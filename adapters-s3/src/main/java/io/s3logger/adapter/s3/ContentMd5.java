package io.s3logger.adapter.s3;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** The {@code Content-MD5} header value of a file range, computed by streaming the file. */
final class ContentMd5 {

    private static final int BUFFER_BYTES = 64 * 1024;

    private ContentMd5() {}

    /**
     * @throws IOException if the file cannot be read or holds fewer than {@code offset + length}
     *     bytes
     */
    static String of(Path file, long offset, long length) throws IOException {
        MessageDigest md5 = newMd5();
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long position = offset;
            long end = offset + length;
            while (position < end) {
                buffer.clear().limit((int) Math.min(BUFFER_BYTES, end - position));
                int read = channel.read(buffer, position);
                if (read < 0) {
                    throw new IOException(file + " is shorter than expected: ends before offset " + end);
                }
                md5.update(buffer.flip());
                position += read;
            }
        }
        return Base64.getEncoder().encodeToString(md5.digest());
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide MD5", e);
        }
    }
}
