package io.s3logger.adapter.fs;

import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Forces a directory's entries (a rename, a create, a delete) to the device, as far as the platform can. */
final class DirectorySync {

    private static final Logger LOG = LoggerFactory.getLogger(DirectorySync.class);

    private DirectorySync() {}

    static void force(Path dir) {
        force(SpoolFileSystem.REAL, dir);
    }

    /**
     * Best effort: some file systems and platforms cannot open or force a directory; the file's
     * own data has already been forced by then, so only the name may be lost in an OS crash, and
     * the start-up scan then finds the file under its earlier name.
     */
    static void force(SpoolFileSystem fs, Path dir) {
        try {
            fs.forceDirectory(dir);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("cannot force directory {} to the device: {}", dir, e.toString());
        }
    }
}
