package io.s3logger.domain.text;

/** Counts in log lines and messages: "1 object", "2 objects", "0 objects". */
public final class Plural {

    private Plural() {}

    /** {@code count} followed by {@code one} if it is exactly 1, else by {@code many}. */
    public static String of(long count, String one, String many) {
        return count + " " + (count == 1 ? one : many);
    }
}
