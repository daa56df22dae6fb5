package io.s3logger.domain.service;

import io.s3logger.domain.model.ObjectKey;
import io.s3logger.domain.model.SegmentId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Names delivered objects: {@code [PREFIX/]dt=YYYY-MM-DD/YYYYMMDDTHHMMSS_RRRRRRRRRRRRRRRR.json.gz},
 * with the date and time of the segment's creation in UTC.
 */
public final class ObjectNaming {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu-MM-dd").withZone(ZoneOffset.UTC);

    private final String keyStart;

    /** @param prefix any prefix as the user typed it; empty segments and surrounding '/' are dropped */
    public ObjectNaming(String prefix) {
        String normalised = normalisePrefix(prefix);
        this.keyStart = normalised.isEmpty() ? "dt=" : normalised + "/dt=";
    }

    /** {@code "/a//b/"} becomes {@code "a/b"}, so that no key starts with '/' or contains "//". */
    public static String normalisePrefix(String prefix) {
        return Arrays.stream(prefix.split("/"))
                .filter(part -> !part.isEmpty())
                .collect(Collectors.joining("/"));
    }

    public ObjectKey keyFor(SegmentId id) {
        return new ObjectKey(keyStart + DAY.format(id.createdAt()) + "/" + id.baseName() + ".json.gz");
    }
}
