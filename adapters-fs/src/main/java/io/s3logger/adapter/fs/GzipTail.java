package io.s3logger.adapter.fs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A cheap check of a finished segment found at start: it must begin like a gzip member and end
 * with a complete one (header, data and a trailer whose CRC-32 and length match). Only the last
 * member is decoded, at most {@code maxMemberBytes} from the end, so the check costs about a
 * millisecond whatever the segment's size; a file cut short (a truncated copy, a disk that lost
 * its end) fails it. Only when no member start is found near the end (a member longer than
 * expected, as an older version may have written) is the whole file decoded to decide.
 */
final class GzipTail {

    private static final int MIN_MEMBER_BYTES = 20;

    private GzipTail() {}

    /**
     * @param maxMemberBytes the largest compressed member the spool writes
     * @return {@code true} if the file ends with a complete gzip member
     * @throws IOException if the file cannot be read
     */
    static boolean endsWithCompleteMember(Path file, int maxMemberBytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < MIN_MEMBER_BYTES || !isMemberStart(read(channel, 0, 3), 0)) {
                return false;
            }
            int windowBytes = (int) Math.min(size, maxMemberBytes);
            byte[] tail = read(channel, size - windowBytes, windowBytes);
            // The last member starts at one of the header-looking positions; the nearest to the
            // end that decodes cleanly up to the end is it.
            boolean startSeen = false;
            for (int start = tail.length - MIN_MEMBER_BYTES; start >= 0; start--) {
                if (isMemberStart(tail, start)) {
                    if (decodesToTheEnd(tail, start)) {
                        return true;
                    }
                    startSeen = true;
                }
            }
            return !startSeen && windowBytes < size && decodesCompletely(file);
        }
    }

    private static boolean decodesCompletely(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            GzipMemberReader.Outcome outcome = new GzipMemberReader(in).readTo((bytes, offset, length) -> {});
            return outcome.clean() && outcome.completeMembers() > 0;
        }
    }

    private static boolean isMemberStart(byte[] bytes, int at) {
        return (bytes[at] & 0xff) == 0x1f && (bytes[at + 1] & 0xff) == 0x8b && bytes[at + 2] == 8;
    }

    private static boolean decodesToTheEnd(byte[] tail, int start) throws IOException {
        GzipMemberReader.Outcome outcome = new GzipMemberReader(new ByteArrayInputStream(tail, start, tail.length - start))
                .readTo((bytes, offset, length) -> {});
        return outcome.clean() && outcome.completeMembers() > 0;
    }

    private static byte[] read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("file shorter than its size while reading it");
            }
        }
        return buffer.array();
    }
}
