package io.s3logger.domain.port.out;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3logger.domain.model.SealedSegment;
import io.s3logger.domain.model.SegmentId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The {@link SegmentSpool} and {@link OpenSegment} contract, run against every implementation by
 * a subclass that says how to build the spool, how to read a sealed segment back, and how to make
 * one step of writing fail. A failure stays until {@link #heal()}, as a full disk or a read-only
 * directory does; the writer's way of coping is then to retry the call that failed, which must
 * store every line exactly once.
 */
public abstract class SegmentSpoolContract {

    /** The steps of a segment's life that can fail. */
    public enum Step {
        /** Writing data during an append. */
        APPEND,
        /** Writing data during a flush. */
        FLUSH,
        /** Writing the last data and the end of the format (trailer) during a seal. */
        TRAILER,
        /** Forcing the file to the device during a seal. */
        FSYNC,
        /** The atomic rename that makes the segment finished. */
        RENAME,
        /** Forcing the directory after the rename. */
        DIRECTORY_FSYNC
    }

    private static final int MAX_ATTEMPTS = 5;
    private static final Set<Step> SEAL_STEPS = EnumSet.of(Step.TRAILER, Step.FSYNC, Step.RENAME, Step.DIRECTORY_FSYNC);

    @TempDir
    protected Path work;

    private SegmentSpool spool;
    private int failures;
    private boolean broken;

    /** A working, empty spool (under {@link #work} if it needs a directory). */
    protected abstract SegmentSpool newSpool() throws Exception;

    /** The lines (uncompressed bytes) of a segment sealed by the spool. */
    protected abstract byte[] content(SealedSegment segment) throws Exception;

    /** From now on, every operation of the spool's segments that reaches {@code step} fails. */
    protected abstract void breakAt(Step step);

    /** Ends every injected failure. */
    protected abstract void heal();

    /**
     * Bytes of two appends in a row large enough that the implementation writes during the
     * second append itself (not only at the next flush), where it ever does.
     */
    protected int largeAppendBytes() {
        return 64 * 1024;
    }

    @BeforeEach
    void createSpool() throws Exception {
        spool = newSpool();
    }

    @AfterEach
    void closeSpool() throws Exception {
        heal();
        if (spool instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Step.class)
    void aFailureAtAnyStepIsRetriedUntilTheDiskWorksAndStoresEveryLineOnce(Step step) throws Exception {
        OpenSegment segment = spool.create(id(1));
        byte[] first = lines("a", 0, 100);
        int half = largeAppendBytes() / 2 / 40;
        byte[] second = lines("b", 0, half);
        byte[] secondMore = lines("b", half, half);
        byte[] third = lines("c", 0, 100);
        segment.append(first, 0, first.length);
        segment.flush();

        breakIf(step == Step.APPEND, step);
        retry(() -> segment.append(second, 0, second.length));
        retry(() -> segment.append(secondMore, 0, secondMore.length));
        breakIf(step == Step.FLUSH, step);
        retry(segment::flush);
        retry(() -> segment.append(third, 0, third.length));
        breakIf(SEAL_STEPS.contains(step), step);
        SealedSegment sealed = retry(segment::seal);
        heal();

        if (step != Step.DIRECTORY_FSYNC) { // after the rename, forcing the directory may be best effort
            assertThat(failures).as("the injected failure at %s was noticed", step).isPositive();
        }
        assertThat(sealed.id()).isEqualTo(id(1));
        assertThat(text(content(sealed))).isEqualTo(text(concat(first, second, secondMore, third)));
        assertThat(spool.recover()).as("nothing else appears in the spool").allMatch(s -> s.id().equals(id(1)));
    }

    @ParameterizedTest
    @EnumSource(value = Step.class, names = {"TRAILER", "FSYNC", "RENAME"})
    void aSegmentWhoseSealFailedTakesMoreLinesAndSealsThemAll(Step step) throws Exception {
        OpenSegment segment = spool.create(id(2));
        byte[] first = lines("a", 0, 50);
        byte[] more = lines("m", 0, 50);
        segment.append(first, 0, first.length);
        breakAt(step);

        assertThat(attempt(segment::seal)).as("seal while %s fails", step).isFalse();
        assertThat(attempt(segment::seal)).as("the same seal again").isFalse();
        heal();
        segment.append(more, 0, more.length);
        SealedSegment sealed = segment.seal();

        assertThat(text(content(sealed))).isEqualTo(text(concat(first, more)));
    }

    private void breakIf(boolean condition, Step step) {
        if (condition) {
            breakAt(step);
            broken = true;
        }
    }

    /** Calls {@code call} the way the writer does: again after each failure, healing the disk after the first. */
    private <T> T retry(IoCall<T> call) throws Exception {
        IOException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                return call.run();
            } catch (IOException e) {
                last = e;
                failures++;
                if (attempt >= 2 && broken) { // a second attempt still on the broken disk, then the disk works again
                    heal();
                    broken = false;
                }
            }
        }
        throw new AssertionError("still failing after the disk works again", last);
    }

    private void retry(IoRun call) throws Exception {
        retry(() -> {
            call.run();
            return null;
        });
    }

    private static boolean attempt(IoCall<?> call) {
        try {
            call.run();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @FunctionalInterface
    private interface IoCall<T> {
        T run() throws IOException;
    }

    @FunctionalInterface
    private interface IoRun {
        void run() throws IOException;
    }

    protected static SegmentId id(long random) {
        return new SegmentId(Instant.parse("2024-05-06T07:08:09Z"), random);
    }

    /** {@code count} distinct JSON lines tagged {@code tag}, about 40 bytes each. */
    protected static byte[] lines(String tag, int from, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = from; i < from + count; i++) {
            text.append("{\"tag\":\"").append(tag).append("\",\"n\":").append(i).append(",\"pad\":\"xxxxxx\"}\n");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
