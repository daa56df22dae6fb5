package io.s3logger.adapter.fs;

import io.s3logger.domain.model.SegmentId;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;

/**
 * Names of segment files in one spool directory, and creation of new ones. A segment {@code id}
 * lives as {@code <base>.json.gz.open} while written, {@code <base>.json.gz} once finished, and
 * {@code <base>.json.gz.salvage} while recovery rewrites it.
 */
final class SegmentFiles {

    static final String FINISHED_SUFFIX = ".json.gz";
    static final String OPEN_SUFFIX = FINISHED_SUFFIX + ".open";
    static final String SALVAGE_SUFFIX = FINISHED_SUFFIX + ".salvage";

    private final Path dir;

    SegmentFiles(Path dir) {
        this.dir = dir;
    }

    Path openFile(SegmentId id) {
        return dir.resolve(id.baseName() + OPEN_SUFFIX);
    }

    Path finishedFile(SegmentId id) {
        return dir.resolve(id.baseName() + FINISHED_SUFFIX);
    }

    Path salvageFile(SegmentId id) {
        return dir.resolve(id.baseName() + SALVAGE_SUFFIX);
    }

    /** The segment id in a file name ending with {@code suffix}, if the rest is a segment base name. */
    static Optional<SegmentId> idOf(String fileName, String suffix) {
        if (!fileName.endsWith(suffix)) {
            return Optional.empty();
        }
        try {
            return Optional.of(SegmentId.parse(fileName.substring(0, fileName.length() - suffix.length())));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Creates {@code tempFile} (which must not exist; owner-only permissions from the start) and an
     * open segment writing it that seals to the finished name of {@code id}.
     */
    GzipOpenSegment create(SegmentId id, Path tempFile, BlockCompressor compressor, Runnable onSealed) throws IOException {
        FileChannel channel = FileChannel.open(
                tempFile,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                OwnerOnlyPermissions.file(dir));
        return new GzipOpenSegment(
                id, tempFile, finishedFile(id), channel, compressor, onSealed);
    }
}
