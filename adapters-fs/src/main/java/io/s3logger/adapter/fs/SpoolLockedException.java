package io.s3logger.adapter.fs;

import java.io.IOException;
import java.nio.file.Path;

/** The spool directory is already used by another s3logger process (or another spool instance). */
public final class SpoolLockedException extends IOException {

    private static final long serialVersionUID = 1L;

    public SpoolLockedException(Path dir) {
        super("spool directory " + dir + " is in use by another s3logger process;"
                + " stop it or choose another spool directory");
    }
}
