package io.s3logger.domain.model;

import java.util.Objects;

/** A key in the object store: relative, '/'-separated, never starting with '/' nor containing "//". */
public record ObjectKey(String value) {

    public ObjectKey {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || value.startsWith("/") || value.endsWith("/") || value.contains("//")) {
            throw new IllegalArgumentException("invalid object key: '" + value + "'");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
