package io.s3logger.adapter.fs;

import io.s3logger.domain.model.SealedSegment;
import io.s3logger.domain.model.SegmentId;
import io.s3logger.domain.port.out.OpenSegment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/**
 * A segment being written as a sequence of complete gzip members under a temporary name.
 *
 * <p>Appended lines are compressed into an in-memory member. A member ends on {@link #flush()},
 * or during {@link #append} once it holds {@value #MEMBER_TARGET_BYTES} compressed bytes, and is
 * then written to the file in one positional write at the end of the last complete member. So
 * the file is always complete members, plus at most one torn member after a crash or a failed
 * write; recovery keeps every complete line of both.
 *
 * <p>Failure guarantee: {@code append} throws only before it has taken any of its bytes (it
 * first writes a member still waiting from earlier), so a failed append has no effect and the
 * caller retries it with the same bytes. A failed {@code flush} or {@code seal} keeps the
 * finished member in memory and writes it again, over any torn part, on the next call: lines
 * are never lost or duplicated while the process lives, and lines flushed before stay
 * recoverable after a crash. Interrupting the writing thread during I/O closes the channel (NIO
 * semantics); the segment then only fails, and the start-up scan salvages its file.
 */
final class GzipOpenSegment implements OpenSegment {

    /** Compressed size at which {@code append} ends a member: large writes, bounded memory. */
    static final int MEMBER_TARGET_BYTES = 1024 * 1024;

    private final SegmentId id;
    private final Path openFile;
    private final Path finishedFile;
    private final FileChannel channel;
    private final GzipMemberEncoder encoder;
    private final Runnable onSealed;
    private long uncompressedBytes;
    /** File length covered by complete members; the next member is written here. */
    private long committedBytes;
    private boolean fileClosed;
    private boolean sealed;

    /**
     * @param channel writable channel on the new, empty {@code openFile}; owned by the segment
     * @param onSealed run once after a successful seal
     */
    GzipOpenSegment(
            SegmentId id,
            Path openFile,
            Path finishedFile,
            FileChannel channel,
            GzipMemberEncoder encoder,
            Runnable onSealed) {
        this.id = Objects.requireNonNull(id, "id");
        this.openFile = Objects.requireNonNull(openFile, "openFile");
        this.finishedFile = Objects.requireNonNull(finishedFile, "finishedFile");
        this.channel = Objects.requireNonNull(channel, "channel");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.onSealed = Objects.requireNonNull(onSealed, "onSealed");
    }

    @Override
    public SegmentId id() {
        return id;
    }

    @Override
    public void append(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        checkNotSealed();
        writeFinishedMember();
        if (length == 0) {
            return;
        }
        encoder.add(bytes, offset, length);
        uncompressedBytes += length;
        if (encoder.size() >= MEMBER_TARGET_BYTES) {
            // Written by the next call: an append that wrote it and failed would have taken its bytes.
            encoder.finish();
        }
    }

    @Override
    public long uncompressedBytes() {
        return uncompressedBytes;
    }

    @Override
    public void flush() throws IOException {
        checkNotSealed();
        if (encoder.isOpen()) {
            encoder.finish();
        }
        writeFinishedMember();
    }

    @Override
    public SealedSegment seal() throws IOException {
        checkNotSealed();
        flush();
        if (committedBytes == 0) {
            // Nothing was ever appended: an empty member still makes a valid gzip file.
            encoder.finish();
            writeFinishedMember();
        }
        if (!fileClosed) {
            channel.force(true);
            channel.close();
            fileClosed = true;
        }
        Files.move(openFile, finishedFile, StandardCopyOption.ATOMIC_MOVE);
        DirectorySync.force(finishedFile.getParent());
        encoder.end();
        sealed = true;
        onSealed.run();
        return new SealedSegment(id, finishedFile, committedBytes);
    }

    /** Gives the segment up without sealing it: closes and deletes its file. */
    void discard() throws IOException {
        checkNotSealed();
        sealed = true;
        encoder.end();
        try {
            channel.close();
        } finally {
            Files.deleteIfExists(openFile);
        }
    }

    /** Writes the finished member, if any, over whatever a failed attempt left after the last complete one. */
    private void writeFinishedMember() throws IOException {
        if (!encoder.isFinished()) {
            return;
        }
        ByteBuffer member = encoder.member();
        long position = committedBytes;
        while (member.hasRemaining()) {
            position += channel.write(member, position);
        }
        committedBytes = position;
        encoder.clear();
    }

    private void checkNotSealed() {
        if (sealed) {
            throw new IllegalStateException("segment " + id.baseName() + " is already sealed");
        }
    }
}
