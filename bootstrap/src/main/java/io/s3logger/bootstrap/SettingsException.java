package io.s3logger.bootstrap;

/** A bad setting: the message is the one line printed before exiting with status 2. */
public final class SettingsException extends Exception {

    private static final long serialVersionUID = 1L;

    SettingsException(String message) {
        super(message);
    }
}
