package io.s3logger.adapter.fs;

import io.s3logger.domain.model.SealedSegment;
import io.s3logger.domain.model.SegmentId;
import io.s3logger.domain.port.out.OpenSegment;
import io.s3logger.domain.text.Plural;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A segment being written as a sequence of complete gzip members under a temporary name, the
 * members compressed in parallel and written strictly in order.
 *
 * <p>Pipeline: {@code append} copies the bytes into a block ({@link BlockCompressor#BLOCK_BYTES}
 * by default; a line may span two blocks, which every gzip reader and the salvage read as one
 * byte stream). A full block is handed to the {@link BlockCompressor}; its member is
 * written by this segment's thread, in append order, at the end of the last complete member,
 * once it and all blocks before it are compressed. At most {@link
 * BlockCompressor#maxBlocksInFlight()} blocks are submitted but unwritten; an append that would
 * submit more first waits for and writes the oldest (back-pressure, bounded memory). So the
 * file is always complete members, plus at most one torn member after a crash or a failed
 * write; recovery keeps every complete line of both. All file I/O happens on the caller's
 * thread.
 *
 * <p>{@link #flush()} submits the partly filled block and waits until every block appended so
 * far is compressed and written in order: afterwards the file holds all appended bytes as
 * complete members. {@link #seal()} flushes (writing an empty member if the file would be
 * empty), cuts off whatever a failed write left past the last member, forces the file to the
 * device, renames it to the finished name atomically, and only then closes it.
 *
 * <p>Failure guarantees: {@code append} does all its I/O and waiting (writing members that are
 * ready, making room for the blocks it will submit) before it takes any byte, so a failed append
 * has no effect and the caller retries it with the same bytes. A failed {@code flush} or {@code
 * seal} keeps every unwritten block (its input too) in memory; the next call writes it again,
 * over any torn part: lines are never lost or duplicated while the process lives, and lines
 * flushed before stay recoverable after a crash. A seal that fails at any step (write, force,
 * rename) leaves the segment open and writable, its file still open: it can be appended to,
 * flushed and sealed again. If the file was removed from under the segment (the spool directory
 * deleted and recreated), the next flush or seal creates it again (and the directory if needed)
 * from the still open, unlinked file, so what was written is not lost either. A failure to force
 * the directory after the rename does not fail the seal (see {@link DirectorySync}). A block
 * whose compression failed (an exception
 * in the compressing thread, or a compressor that was closed) fails the next {@code
 * append}/{@code flush}/{@code seal} with an IOException and is submitted again, so its lines
 * are kept. Interrupting the writing thread during I/O closes the channel (NIO semantics); the
 * segment then only fails, and the start-up scan salvages its file.
 */
final class GzipOpenSegment implements OpenSegment {

    private static final Logger LOG = LoggerFactory.getLogger(GzipOpenSegment.class);

    private final SegmentId id;
    private final Path openFile;
    private final Path finishedFile;
    private final BlockCompressor compressor;
    private final SpoolFileSystem fs;
    private final Runnable onSealed;
    /** Replaced only when the file was removed from under the segment and written again. */
    private FileChannel channel;
    /** Identity (device, inode) of the file {@link #channel} writes, to notice that it was removed; null where unknown. */
    private Object fileKey;
    /** Submitted blocks in append order; the head is the next member to write. */
    private final ArrayDeque<Block> inFlight = new ArrayDeque<>();
    /** The block taking appended bytes; null until the next append needs one. */
    private Block filling;
    private long uncompressedBytes;
    /** File length covered by complete members; the next member is written here. */
    private long committedBytes;
    private boolean sealed;

    /**
     * @param channel readable and writable channel on the new, empty {@code openFile}; owned by
     *     the segment
     * @param onSealed run once after a successful seal
     * @throws IOException if {@code openFile} cannot be read (it must exist)
     */
    GzipOpenSegment(
            SegmentId id,
            Path openFile,
            Path finishedFile,
            FileChannel channel,
            BlockCompressor compressor,
            SpoolFileSystem fs,
            Runnable onSealed) throws IOException {
        this.id = Objects.requireNonNull(id, "id");
        this.openFile = Objects.requireNonNull(openFile, "openFile");
        this.finishedFile = Objects.requireNonNull(finishedFile, "finishedFile");
        this.channel = Objects.requireNonNull(channel, "channel");
        this.compressor = Objects.requireNonNull(compressor, "compressor");
        this.fs = Objects.requireNonNull(fs, "fs");
        this.onSealed = Objects.requireNonNull(onSealed, "onSealed");
        this.fileKey = fileKeyOf(openFile);
    }

    @Override
    public SegmentId id() {
        return id;
    }

    @Override
    public void append(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        checkNotSealed();
        // Every step that can fail comes before the first byte is taken.
        writeCompressedMembers();
        long pending = (filling == null ? 0 : filling.length()) + (long) length;
        makeRoomFor((int) Math.min(Integer.MAX_VALUE, pending / compressor.blockBytes()));
        int end = offset + length;
        while (offset < end) {
            if (filling == null) {
                filling = compressor.newBlock();
            }
            int taken = filling.take(bytes, offset, end - offset);
            offset += taken;
            uncompressedBytes += taken;
            if (filling.isFull()) {
                submitFilling();
            }
        }
    }

    @Override
    public long uncompressedBytes() {
        return uncompressedBytes;
    }

    @Override
    public void flush() throws IOException {
        checkNotSealed();
        if (filling != null && !filling.isEmpty()) {
            makeRoomFor(1);
            submitFilling();
        }
        while (!inFlight.isEmpty()) {
            writeOldest();
        }
        recreateIfRemoved();
    }

    @Override
    public SealedSegment seal() throws IOException {
        checkNotSealed();
        flush();
        if (committedBytes == 0) {
            // Nothing was ever appended: an empty member still makes a valid gzip file.
            filling = compressor.newBlock();
            submitFilling();
            flush();
        }
        if (channel.size() > committedBytes) {
            channel.truncate(committedBytes); // the torn rest of a write that failed
        }
        channel.force(true);
        fs.moveAtomically(openFile, finishedFile);
        sealed = true;
        // Closed only now: a segment whose rename failed must stay writable for the retry.
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing sealed segment {} after it was forced: {}", finishedFile, e.toString());
        }
        DirectorySync.force(fs, finishedFile.getParent());
        onSealed.run();
        return new SealedSegment(id, finishedFile, committedBytes);
    }

    /**
     * Writes the file again under its name if it is gone (the directory was removed, perhaps made
     * again): the unlinked file is still readable through the channel, and a crash must find it.
     */
    private void recreateIfRemoved() throws IOException {
        if (fileKey == null ? Files.exists(openFile) : fileKey.equals(fileKeyOrNull(openFile))) {
            return;
        }
        Path dir = openFile.getParent();
        Files.createDirectories(dir, OwnerOnlyPermissions.directory(dir));
        FileChannel fresh = fs.createFile(openFile);
        try {
            for (long position = 0; position < committedBytes; ) {
                position += channel.transferTo(position, committedBytes - position, fresh);
            }
            fileKey = fileKeyOf(openFile);
        } catch (IOException | RuntimeException e) {
            fresh.close();
            Files.deleteIfExists(openFile);
            throw e;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing the removed file of segment {}: {}", openFile, e.toString());
        }
        channel = fresh;
        LOG.warn("Segment file {} had been removed from the spool directory; wrote its {} again from the open file",
                openFile, Plural.of(committedBytes, "byte", "bytes"));
    }

    private static Object fileKeyOf(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }

    private static Object fileKeyOrNull(Path file) {
        try {
            return fileKeyOf(file);
        } catch (IOException e) {
            return null;
        }
    }

    /** Gives the segment up without sealing it: closes and deletes its file. */
    void discard() throws IOException {
        checkNotSealed();
        sealed = true;
        try {
            channel.close();
        } finally {
            Files.deleteIfExists(openFile);
        }
    }

    private void submitFilling() {
        compressor.submit(filling);
        inFlight.addLast(filling);
        filling = null;
    }

    /** Waits for and writes the oldest blocks until {@code blocks} more fit in flight (or none is left). */
    private void makeRoomFor(int blocks) throws IOException {
        while (!inFlight.isEmpty() && inFlight.size() + blocks > compressor.maxBlocksInFlight()) {
            writeOldest();
        }
    }

    /** Writes the members that are ready, in order, without waiting. */
    private void writeCompressedMembers() throws IOException {
        while (!inFlight.isEmpty() && inFlight.peekFirst().isCompressionDone()) {
            writeOldest();
        }
    }

    /** Writes the oldest block's member over whatever a failed attempt left after the last complete one. */
    private void writeOldest() throws IOException {
        Block block = inFlight.peekFirst();
        try {
            block.awaitCompressed();
        } catch (IOException e) {
            if (block.compressionFailed()) {
                compressor.submit(block); // try again: the input is still there
            }
            throw e;
        }
        ByteBuffer member = block.member();
        long position = committedBytes;
        while (member.hasRemaining()) {
            position += channel.write(member, position);
        }
        committedBytes = position;
        inFlight.removeFirst();
        compressor.recycle(block);
    }

    private void checkNotSealed() {
        if (sealed) {
            throw new IllegalStateException("segment " + id.baseName() + " is already sealed");
        }
    }
}
