package io.s3logger.adapter.s3;

import io.s3logger.domain.model.SegmentStats;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The user metadata of each object ({@code x-amz-meta-*}), so that a reconciler can count what a
 * bucket holds without downloading it: {@code objects}, {@code raw-bytes}, {@code first-arrival}
 * and {@code last-arrival} (UTC, ISO-8601) for segments this process sealed, and always
 * {@code writer}, the process that uploaded it. Segments found in the spool at start were not
 * counted by this process and carry only {@code writer}.
 */
final class ObjectMetadata {

    static final String OBJECTS = "objects";
    static final String RAW_BYTES = "raw-bytes";
    static final String FIRST_ARRIVAL = "first-arrival";
    static final String LAST_ARRIVAL = "last-arrival";
    static final String WRITER = "writer";

    private ObjectMetadata() {}

    static Map<String, String> of(Optional<SegmentStats> stats, String writer) {
        Map<String, String> metadata = new LinkedHashMap<>();
        stats.ifPresent(counted -> {
            metadata.put(OBJECTS, Long.toString(counted.objects()));
            metadata.put(RAW_BYTES, Long.toString(counted.rawBytes()));
            metadata.put(FIRST_ARRIVAL, counted.firstArrival().toString());
            metadata.put(LAST_ARRIVAL, counted.lastArrival().toString());
        });
        metadata.put(WRITER, writer);
        return metadata;
    }

    /** {@code host/pid}: which machine and which run wrote an object. */
    static String thisProcess() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown-host");
        }
        return host + "/" + ProcessHandle.current().pid();
    }
}
