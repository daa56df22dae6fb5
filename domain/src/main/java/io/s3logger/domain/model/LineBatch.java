package io.s3logger.domain.model;

import java.util.Objects;

/**
 * Complete stored lines (compact JSON object + '\n' each), handed over in one piece from a
 * connection to the segment writer. The receiver owns {@code bytes} after the hand-off.
 *
 * @param bytes the buffer; only {@code [0, length)} is meaningful
 * @param length number of bytes used, always ending at a line end
 * @param lines number of lines (objects) in the batch
 */
public record LineBatch(byte[] bytes, int length, int lines) {

    public LineBatch {
        Objects.requireNonNull(bytes, "bytes");
        if (length < 0 || length > bytes.length) {
            throw new IllegalArgumentException("length out of range: " + length);
        }
        if (lines < 0 || lines > length) {
            throw new IllegalArgumentException("lines out of range: " + lines);
        }
    }
}
