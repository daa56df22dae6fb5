package io.s3logger.adapter.fs;

import io.s3logger.domain.model.SealedSegment;
import io.s3logger.domain.model.SegmentId;
import io.s3logger.domain.text.Plural;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a segment file left unfinished by a crash, or a finished one found damaged, into a
 * finished one: every complete line that still decodes is kept, the torn rest is dropped and
 * logged. The kept lines are written as a new gzip file under a temporary name, sealed (fsync +
 * atomic rename to the finished name, replacing a damaged finished file), and only then is an
 * unfinished file deleted; an interruption at any point leaves the original file to salvage
 * again, and at worst a leftover temporary file that the next scan deletes.
 */
final class SegmentSalvager {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentSalvager.class);

    private final SegmentFiles files;
    private final BlockCompressor compressor;

    SegmentSalvager(SegmentFiles files, BlockCompressor compressor) {
        this.files = files;
        this.compressor = compressor;
    }

    /**
     * @param openFile the unfinished file, or the damaged finished file of {@code id}
     * @return the sealed salvage, or empty if the file held no complete line (it is deleted then)
     * @throws IOException if reading or writing failed; the file is left as it was
     */
    Optional<SealedSegment> salvage(SegmentId id, Path openFile) throws IOException {
        String what = openFile.equals(files.finishedFile(id)) ? "Damaged finished segment" : "Unfinished segment";
        Path salvageFile = files.salvageFile(id);
        Files.deleteIfExists(salvageFile);
        CompleteLines lines = new CompleteLines(id, salvageFile);
        GzipMemberReader.Outcome outcome;
        Optional<SealedSegment> sealed;
        try (InputStream in = Files.newInputStream(openFile)) {
            outcome = new GzipMemberReader(in).readTo(lines::accept);
            sealed = lines.seal();
        } catch (IOException | RuntimeException e) {
            lines.abandon();
            throw e;
        }
        String ending = outcome.clean() ? "the gzip stream ended cleanly" : "the gzip stream ended early: " + outcome.problem();
        if (sealed.isEmpty()) {
            LOG.warn("{} {} held no complete line ({} of a torn line; {}); deleting it",
                    what, openFile, Plural.of(lines.droppedBytes, "byte", "bytes"), ending);
        } else if (lines.droppedBytes > 0 || !outcome.clean()) {
            LOG.warn("Salvaged {} {}: kept {} of complete lines, dropped {} of a torn last line; {}",
                    what.toLowerCase(Locale.ROOT), openFile, Plural.of(lines.keptBytes, "byte", "bytes"),
                    Plural.of(lines.droppedBytes, "byte", "bytes"), ending);
        } else {
            LOG.info("Salvaged {} {}: kept {} of complete lines",
                    what.toLowerCase(Locale.ROOT), openFile, Plural.of(lines.keptBytes, "byte", "bytes"));
        }
        if (sealed.isPresent() && sealed.get().file().equals(openFile)) {
            return sealed; // the salvage replaced the damaged finished file
        }
        Files.delete(openFile);
        DirectorySync.force(files.fileSystem(), openFile.getParent());
        return sealed;
    }

    /** Writes decoded bytes up to the last line end seen, holding back the possibly torn rest. */
    private final class CompleteLines {

        private final SegmentId id;
        private final Path salvageFile;
        private GzipOpenSegment target;
        private byte[] carry = new byte[8 * 1024];
        private int carryLength;
        private long keptBytes;
        private long droppedBytes;

        CompleteLines(SegmentId id, Path salvageFile) {
            this.id = id;
            this.salvageFile = salvageFile;
        }

        void accept(byte[] bytes, int offset, int length) throws IOException {
            int lastLineEnd = lastLineEnd(bytes, offset, length);
            if (lastLineEnd < 0) {
                hold(bytes, offset, length);
                return;
            }
            GzipOpenSegment segment = target();
            segment.append(carry, 0, carryLength);
            segment.append(bytes, offset, lastLineEnd + 1 - offset);
            keptBytes += carryLength + lastLineEnd + 1 - offset;
            carryLength = 0;
            hold(bytes, lastLineEnd + 1, offset + length - lastLineEnd - 1);
        }

        Optional<SealedSegment> seal() throws IOException {
            droppedBytes = carryLength;
            return target == null ? Optional.empty() : Optional.of(target.seal());
        }

        /** Removes the partial salvage after a failure; the unfinished file is still there. */
        void abandon() {
            if (target == null) {
                return;
            }
            try {
                target.discard();
            } catch (IOException e) {
                LOG.warn("cannot delete partial salvage {}: {}", salvageFile, e.toString());
            }
        }

        private GzipOpenSegment target() throws IOException {
            if (target == null) {
                target = files.create(id, salvageFile, compressor, () -> {});
            }
            return target;
        }

        private void hold(byte[] bytes, int offset, int length) {
            if (carry.length - carryLength < length) {
                carry = Arrays.copyOf(carry, Math.max(carry.length * 2, carryLength + length));
            }
            System.arraycopy(bytes, offset, carry, carryLength, length);
            carryLength += length;
        }

        private static int lastLineEnd(byte[] bytes, int offset, int length) {
            for (int i = offset + length - 1; i >= offset; i--) {
                if (bytes[i] == '\n') {
                    return i;
                }
            }
            return -1;
        }
    }
}
