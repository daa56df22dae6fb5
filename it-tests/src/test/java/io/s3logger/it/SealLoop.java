package io.s3logger.it;

import io.s3logger.adapter.fs.GzipSegmentSpool;
import io.s3logger.domain.model.SegmentId;
import io.s3logger.domain.port.out.OpenSegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

/**
 * Child program of {@link AbruptExitIT}: writes, flushes and seals small segments in a loop and
 * halts the JVM (no shutdown hooks, like an OOM kill) the given number of milliseconds after the
 * first seal, wherever it is then. It prints "SEALING n" before and "SEALED n" after each seal.
 *
 * <p>Arguments: spool directory, milliseconds from the first seal until the halt.
 */
public final class SealLoop {

    static final int LINES_PER_SEGMENT = 20;

    private SealLoop() {}

    static String line(int segment, int n) {
        return "{\"segment\":" + segment + ",\"n\":" + n + ",\"pad\":\"" + "p".repeat(40) + "\"}\n";
    }

    private static void report(String line) {
        System.out.println(line);
        System.out.flush();
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long haltAfterMillis = Long.parseLong(args[1]);
        // Counted from the first seal, not from the start: on a loaded machine, start-up and the
        // first segment's class loading could otherwise take the whole time, and no exit would
        // land in a seal.
        CountDownLatch firstSealed = new CountDownLatch(1);
        Thread.ofPlatform().daemon().start(() -> {
            try {
                firstSealed.await();
                Thread.sleep(haltAfterMillis); // the moment of the simulated crash, not a wait for anything
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(137);
        });
        GzipSegmentSpool spool = GzipSegmentSpool.open(dir, 1, 2);
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        for (int segment = 0; ; segment++) {
            OpenSegment open = spool.create(new SegmentId(start.plusSeconds(segment), segment));
            for (int n = 0; n < LINES_PER_SEGMENT; n++) {
                byte[] bytes = line(segment, n).getBytes(StandardCharsets.UTF_8);
                open.append(bytes, 0, bytes.length);
            }
            open.flush();
            report("SEALING " + segment);
            open.seal();
            report("SEALED " + segment);
            firstSealed.countDown();
        }
    }
}
