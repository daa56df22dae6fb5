package io.s3logger.adapter.tcp;

/**
 * The limits {@link JsonObjectFramer} enforces on each object, as a value (like Jackson's {@code
 * StreamReadConstraints}) so that the listener, the memory budget and the tests read them from
 * one place. The service always runs with {@link #DEFAULT}; smaller limits are for tests.
 *
 * @param maxObjectBytes largest accepted object, counted from its {@code '{'} to its {@code '}'}
 *     inclusive as received; at least 2 (an empty object) and at most {@link #MAX_OBJECT_BYTES_CEILING}
 * @param maxDepth deepest accepted nesting of objects and arrays, the top-level object being depth
 *     1; at least 1
 */
public record FramingLimits(int maxObjectBytes, int maxDepth) {

    /**
     * The protocol's limits: 4 MiB = 4,194,304 bytes per object, and nesting up to 1,000. Real log
     * records nest a handful of levels; common consumers of the stored files refuse deep input
     * (Python's json hits its recursion limit near 1,000, Jackson databind defaults to 1,000), so a
     * deeper object could be stored but not read back.
     */
    public static final FramingLimits DEFAULT = new FramingLimits(4 * 1024 * 1024, 1_000);

    /** The framer's output buffer holds an object and half a read more in one array. */
    public static final int MAX_OBJECT_BYTES_CEILING = 1 << 30;

    public FramingLimits {
        if (maxObjectBytes < 2 || maxObjectBytes > MAX_OBJECT_BYTES_CEILING) {
            throw new IllegalArgumentException("maxObjectBytes must be 2.." + MAX_OBJECT_BYTES_CEILING + ": " + maxObjectBytes);
        }
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be at least 1: " + maxDepth);
        }
    }
}
