package io.s3logger.adapter.fs.bench;

import io.s3logger.adapter.fs.GzipSegmentSpool;
import io.s3logger.domain.model.SealedSegment;
import io.s3logger.domain.model.SegmentId;
import io.s3logger.domain.port.out.OpenSegment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Throughput check, not a test: spools generated NDJSON in 64 KiB appends (as the writer thread
 * does) into a sealed segment with 1 and 2 compression threads, and runs {@code pigz -1 -p 2}
 * and {@code gzip -1} on the same data in the same run. Prints MB/s of input (10^6 bytes), the
 * median of 3 runs each. Run from the module directory after {@code mvn test-compile}:
 *
 * <pre>
 * mvn -q -o dependency:build-classpath -Dmdep.outputFile=cp.txt
 * java -cp target/classes:target/test-classes:$(cat cp.txt) io.s3logger.adapter.fs.bench.SpoolThroughput [MiB] [dir]
 * </pre>
 */
public final class SpoolThroughput {

    private static final int BATCH_BYTES = 64 * 1024;
    private static final int RUNS = 3;

    private SpoolThroughput() {}

    public static void main(String[] args) throws Exception {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 256;
        Path work = Files.createTempDirectory(args.length > 1 ? Path.of(args[1]) : Path.of(System.getProperty("java.io.tmpdir")), "spool-throughput");
        try {
            byte[] data = NdjsonSample.generate(mib * 1024 * 1024, 42);
            Path input = work.resolve("input.ndjson");
            Files.write(input, data);
            System.out.printf("input: %d bytes of NDJSON, %d-byte appends, %d processors, median of %d runs%n",
                    data.length, BATCH_BYTES, Runtime.getRuntime().availableProcessors(), RUNS);
            spool(data, work, 1); // warm-up: JIT and page cache
            for (int threads : new int[] {1, 2}) {
                int t = threads;
                report("spool, " + threads + " compression thread(s)", data.length, () -> spool(data, work, t));
            }
            for (List<String> command : List.of(List.of("pigz", "-1", "-p", "2"), List.of("gzip", "-1"))) {
                report(String.join(" ", command), data.length, () -> external(command, input, work.resolve("out.gz")));
            }
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    private interface Run {
        /** @return seconds taken, or a negative number if the tool is not there */
        double seconds() throws Exception;
    }

    private static void report(String name, long bytes, Run run) throws Exception {
        double[] seconds = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            seconds[i] = run.seconds();
            if (seconds[i] < 0) {
                System.out.printf("%-36s not installed%n", name);
                return;
            }
        }
        Arrays.sort(seconds);
        List<String> all = new ArrayList<>();
        for (double s : seconds) {
            all.add(String.format("%.0f", bytes / s / 1e6));
        }
        System.out.printf("%-36s %6.0f MB/s (runs: %s)%n", name, bytes / seconds[RUNS / 2] / 1e6, String.join(", ", all));
    }

    private static double spool(byte[] data, Path work, int threads) throws IOException {
        Path dir = work.resolve("spool-" + threads);
        try (GzipSegmentSpool spool = GzipSegmentSpool.open(dir, 1, threads)) {
            long start = System.nanoTime();
            OpenSegment segment = spool.create(new SegmentId(Instant.now(), System.nanoTime()));
            for (int offset = 0; offset < data.length; offset += BATCH_BYTES) {
                segment.append(data, offset, Math.min(BATCH_BYTES, data.length - offset));
            }
            SealedSegment sealed = segment.seal();
            double seconds = (System.nanoTime() - start) / 1e9;
            spool.delete(sealed);
            return seconds;
        }
    }

    private static double external(List<String> command, Path input, Path output) throws Exception {
        List<String> full = new ArrayList<>(command);
        full.add("-c");
        full.add(input.toString());
        long start = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(full).redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            return -1;
        }
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", full) + " failed");
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
