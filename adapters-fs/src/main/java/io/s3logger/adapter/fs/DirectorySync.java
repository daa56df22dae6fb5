package io.s3logger.adapter.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Forces a directory's entries (a rename, a create, a delete) to the device. */
final class DirectorySync {

    private static final Logger LOG = LoggerFactory.getLogger(DirectorySync.class);

    private DirectorySync() {}

    /**
     * Best effort: some file systems and platforms cannot open or force a directory; the file's
     * own data has already been forced by then, so only the name may be lost in an OS crash.
     */
    static void force(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("cannot force directory {} to the device: {}", dir, e.toString());
        }
    }
}
