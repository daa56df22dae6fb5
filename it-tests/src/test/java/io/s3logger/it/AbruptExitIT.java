package io.s3logger.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3logger.adapter.fs.GzipSegmentSpool;
import io.s3logger.domain.model.SealedSegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §6, an OOM-style abrupt exit (Runtime.halt: no shutdown hooks, no finally blocks) at random
 * moments of a loop that writes, flushes and seals segments, so that many exits land in the middle
 * of a seal. After each, the spool recovers every segment whose seal began (its lines were all
 * flushed before) with every line, complete and exactly once.
 */
class AbruptExitIT {

    private static final int EXITS = 30;

    @TempDir
    Path work;

    @Test
    void anAbruptExitDuringSealingLosesNoFlushedLine() throws Exception {
        Random random = new Random(7);
        int exitsDuringSeal = 0;
        for (int run = 0; run < EXITS; run++) {
            Path dir = work.resolve("spool-" + run);
            List<String> output = runSealLoop(dir, 1 + random.nextInt(300));
            int sealing = lastNumber(output, "SEALING ");
            int sealed = lastNumber(output, "SEALED ");
            if (sealing > sealed) {
                exitsDuringSeal++;
            }

            try (GzipSegmentSpool spool = GzipSegmentSpool.open(dir, 1)) {
                List<SealedSegment> recovered = spool.recover();
                List<String> lines = new ArrayList<>();
                for (SealedSegment segment : recovered) {
                    lines.addAll(StoredObjects.lines(Files.readAllBytes(segment.file())));
                }
                List<String> expected = IntStream.rangeClosed(0, sealing)
                        .boxed()
                        .flatMap(segment -> IntStream.range(0, SealLoop.LINES_PER_SEGMENT)
                                .mapToObj(n -> SealLoop.line(segment, n).strip()))
                        .toList();
                // Segments after the last "SEALING" may hold some complete lines too (a prefix).
                assertThat(lines).as("run %d: every segment whose seal began is complete", run)
                        .startsWith(expected.toArray(String[]::new));
                StoredObjects.assertExactlyOnce(lines.subList(0, expected.size()), expected);
            }
        }
        System.out.println("AbruptExitIT: " + exitsDuringSeal + " of " + EXITS + " exits landed between SEALING and SEALED");
        assertThat(exitsDuringSeal).as("some exits landed in the middle of a seal").isPositive();
    }

    private static List<String> runSealLoop(Path dir, int haltAfterMillis) throws Exception {
        Process process = new ProcessBuilder(ChildProgram.java().toString(), "-cp", System.getProperty("java.class.path"),
                SealLoop.class.getName(), dir.toString(), Integer.toString(haltAfterMillis))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isEqualTo(137);
        return output.lines().toList();
    }

    private static int lastNumber(List<String> output, String prefix) {
        return output.stream().filter(line -> line.startsWith(prefix))
                .mapToInt(line -> Integer.parseInt(line.substring(prefix.length())))
                .max().orElse(-1);
    }
}
