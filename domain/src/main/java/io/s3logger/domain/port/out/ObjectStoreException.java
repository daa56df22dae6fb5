package io.s3logger.domain.port.out;

/** A failed object store operation. Messages never contain credentials. */
public class ObjectStoreException extends Exception {

    private static final long serialVersionUID = 1L;

    public ObjectStoreException(String message) {
        super(message);
    }

    public ObjectStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
