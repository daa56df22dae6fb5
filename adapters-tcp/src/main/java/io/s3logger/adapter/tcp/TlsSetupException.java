package io.s3logger.adapter.tcp;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The TLS certificate, key or client CA could not be used; the message names the file and the
 * problem in one line, never a password.
 */
public final class TlsSetupException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    TlsSetupException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file that could not be used. */
    public Path file() {
        return file;
    }
}
