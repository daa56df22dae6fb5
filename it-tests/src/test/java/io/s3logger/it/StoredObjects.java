package io.s3logger.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Reading delivered objects back: gunzip (all members) and split into lines. */
final class StoredObjects {

    /** SPEC §4: [PREFIX/]dt=YYYY-MM-DD/YYYYMMDDTHHMMSS_16hex.json.gz, date matching the time. */
    static final Pattern KEY = Pattern.compile(
            "(?:[^/]+(?:/[^/]+)*/)?dt=(\\d{4})-(\\d{2})-(\\d{2})/(\\d{4})(\\d{2})(\\d{2})T\\d{6}_[0-9a-f]{16}\\.json\\.gz");

    private StoredObjects() {}

    static List<String> lines(byte[] gzip) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(text).as("every stored object ends with a newline").endsWith("\n");
            return text.lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every object in {@code bucket}, by key. */
    static Map<String, byte[]> inBucket(S3Client reader, String bucket) {
        Map<String, byte[]> objects = new LinkedHashMap<>();
        for (S3Object object : reader.listObjectsV2Paginator(request -> request.bucket(bucket)).contents()) {
            objects.put(object.key(), reader.getObjectAsBytes(request -> request.bucket(bucket).key(object.key())).asByteArray());
        }
        return objects;
    }

    static List<String> allLines(Collection<byte[]> objects) {
        List<String> lines = new ArrayList<>();
        objects.forEach(object -> lines.addAll(lines(object)));
        return lines;
    }

    /**
     * Every expected line stored exactly once and nothing else, in any order. Counts in maps rather
     * than AssertJ's containsExactlyInAnyOrder, which is quadratic on 100,000s of lines.
     */
    static void assertExactlyOnce(Collection<String> stored, Collection<String> expected) {
        Map<String, Long> surplus = new java.util.HashMap<>();
        stored.forEach(line -> surplus.merge(line, 1L, Long::sum));
        expected.forEach(line -> surplus.merge(line, -1L, Long::sum));
        List<String> missing = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        surplus.forEach((line, count) -> {
            if (count < 0) {
                missing.add(line + " (x" + -count + ")");
            } else if (count > 0) {
                extra.add(line + " (x" + count + ")");
            }
        });
        assertThat(missing).as("expected lines not stored (of %d)", expected.size()).isEmpty();
        assertThat(extra).as("stored lines not expected, or stored twice").isEmpty();
    }

    static void assertKeyLayout(String key) {
        var matcher = KEY.matcher(key);
        assertThat(matcher.matches()).as("key %s follows SPEC §4", key).isTrue();
        assertThat(matcher.group(1) + matcher.group(2) + matcher.group(3))
                .as("dt= partition matches the time in %s", key)
                .isEqualTo(matcher.group(4) + matcher.group(5) + matcher.group(6));
    }
}
