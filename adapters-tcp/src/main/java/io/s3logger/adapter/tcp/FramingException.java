package io.s3logger.adapter.tcp;

import java.util.Objects;

/**
 * A connection's byte stream broke the wire protocol; the connection must be closed. Every object
 * completed before the offending one has already been framed and stays available to the caller.
 */
public final class FramingException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a stream was rejected; stable names, suitable as a metric label. */
    public enum Reason {
        /** Not valid JSON: syntax error, control character inside a string, bad escape, ... */
        MALFORMED,
        /** A string holds bytes that are not well-formed UTF-8 (overlong, surrogate, > U+10FFFF, ...). */
        INVALID_UTF8,
        /** A top-level value is not an object ({@code [..]}, {@code "x"}, {@code 42}, {@code true}, {@code null}). */
        NOT_AN_OBJECT,
        /** One object is larger than {@link FramingLimits#maxObjectBytes()} as received. */
        TOO_LARGE,
        /** Objects and arrays nested deeper than {@link FramingLimits#maxDepth()}. */
        TOO_DEEP
    }

    private final Reason reason;
    private final long offset;

    FramingException(Reason reason, long offset, String detail) {
        super(Objects.requireNonNull(reason, "reason") + " at byte offset " + offset + ": " + detail);
        this.reason = reason;
        this.offset = offset;
    }

    public Reason reason() {
        return reason;
    }

    /** Zero-based offset in the connection's byte stream of the byte where the problem was detected. */
    public long offset() {
        return offset;
    }
}
