package io.s3logger.domain.model;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Identity of one segment: its creation time (UTC, whole seconds) and a 64-bit random value.
 * Both end up in the object key, so the id alone is enough to name a segment found on disk
 * after a restart.
 */
public record SegmentId(Instant createdAt, long random) implements Comparable<SegmentId> {

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss").withZone(ZoneOffset.UTC);
    private static final Pattern BASE_NAME = Pattern.compile("\\d{8}T\\d{6}_[0-9a-f]{16}");

    public SegmentId {
        Objects.requireNonNull(createdAt, "createdAt");
        createdAt = createdAt.truncatedTo(ChronoUnit.SECONDS);
    }

    /** {@code YYYYMMDDTHHMMSS_RRRRRRRRRRRRRRRR}: the file name of the segment, without suffix. */
    public String baseName() {
        return STAMP.format(createdAt) + "_" + HexFormat.of().toHexDigits(random);
    }

    /** Parses {@link #baseName()}; the inverse used by the start-up recovery scan. */
    public static SegmentId parse(String baseName) {
        if (!BASE_NAME.matcher(baseName).matches()) {
            throw new IllegalArgumentException("not a segment name: " + baseName);
        }
        try {
            Instant createdAt = Instant.from(STAMP.parse(baseName.substring(0, 15)));
            long random = HexFormat.fromHexDigitsToLong(baseName.substring(16));
            return new SegmentId(createdAt, random);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a segment name: " + baseName, e);
        }
    }

    /** Oldest first; the random part only breaks ties between segments of the same second. */
    @Override
    public int compareTo(SegmentId other) {
        int byTime = createdAt.compareTo(other.createdAt);
        return byTime != 0 ? byTime : Long.compareUnsigned(random, other.random);
    }
}
