package io.s3logger.adapter.fs;

import io.s3logger.domain.model.SegmentId;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names of segment files in one spool directory, and creation of new ones. A segment {@code id}
 * lives as {@code <base>.json.gz.open} while written, {@code <base>.json.gz} once finished, and
 * {@code <base>.json.gz.salvage} while recovery rewrites it.
 */
final class SegmentFiles {

    static final String FINISHED_SUFFIX = ".json.gz";
    static final String OPEN_SUFFIX = FINISHED_SUFFIX + ".open";
    static final String SALVAGE_SUFFIX = FINISHED_SUFFIX + ".salvage";

    private static final Logger LOG = LoggerFactory.getLogger(SegmentFiles.class);

    private final Path dir;
    private final SpoolFileSystem fs;

    SegmentFiles(Path dir, SpoolFileSystem fs) {
        this.dir = dir;
        this.fs = fs;
    }

    SpoolFileSystem fileSystem() {
        return fs;
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
        FileChannel channel;
        try {
            channel = fs.createFile(tempFile);
        } catch (NoSuchFileException e) {
            // The spool directory was removed: make it again, or fail as the disk does.
            Files.createDirectories(dir, OwnerOnlyPermissions.directory(dir));
            LOG.warn("The spool directory {} had been removed; created it again", dir);
            channel = fs.createFile(tempFile);
        }
        try {
            return new GzipOpenSegment(id, tempFile, finishedFile(id), channel, compressor, fs, onSealed);
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(tempFile);
            throw e;
        }
    }
}
