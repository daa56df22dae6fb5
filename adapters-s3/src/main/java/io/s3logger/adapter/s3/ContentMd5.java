package io.s3logger.adapter.s3;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** The MD5 of a file range, computed by streaming the file. */
final class ContentMd5 {

    private static final int BUFFER_BYTES = 64 * 1024;

    private ContentMd5() {}

    /**
     * @throws IOException if the file cannot be read or holds fewer than {@code offset + length}
     *     bytes
     */
    static byte[] of(Path file, long offset, long length) throws IOException {
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
        return md5.digest();
    }

    /** The {@code Content-MD5} header value of a digest. */
    static String header(byte[] digest) {
        return Base64.getEncoder().encodeToString(digest);
    }

    /** The digest as S3 writes it in an ETag: 32 lower-case hex digits. */
    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    /** S3's ETag of a multipart object: the MD5 of the parts' MD5s, then "-" and the number of parts. */
    static String multipartETag(List<byte[]> partDigests) {
        MessageDigest md5 = newMd5();
        partDigests.forEach(md5::update);
        return hex(md5.digest()) + "-" + partDigests.size();
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide MD5", e);
        }
    }
}
