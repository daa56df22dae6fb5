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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
            Map<String, Run> contenders = new LinkedHashMap<>();
            for (int threads : new int[] {1, 2}) {
                contenders.put("spool, " + threads + " compression thread(s)", () -> spool(data, work, threads));
            }
            for (List<String> command : List.of(List.of("pigz", "-1", "-p", "2"), List.of("gzip", "-1"))) {
                contenders.put(String.join(" ", command), () -> external(command, input, work.resolve("out.gz")));
            }
            // Rounds of every contender, so a change in the machine's load affects all alike.
            Map<String, Outcome[]> outcomes = new LinkedHashMap<>();
            contenders.keySet().forEach(name -> outcomes.put(name, new Outcome[RUNS]));
            for (int run = 0; run < RUNS; run++) {
                for (Map.Entry<String, Run> contender : contenders.entrySet()) {
                    outcomes.get(contender.getKey())[run] = contender.getValue().run();
                }
            }
            outcomes.forEach((name, runs) -> report(name, data.length, runs));
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    private interface Run {
        /** @return the outcome, or null if the tool is not there */
        Outcome run() throws Exception;
    }

    private record Outcome(double seconds, long compressedBytes) {}

    private static void report(String name, long bytes, Outcome[] runs) {
        if (runs[0] == null) {
            System.out.printf("%-36s not installed%n", name);
            return;
        }
        List<String> all = new ArrayList<>();
        double[] sorted = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            all.add(String.format("%.0f", bytes / runs[i].seconds() / 1e6));
            sorted[i] = runs[i].seconds();
        }
        Arrays.sort(sorted);
        System.out.printf("%-36s %6.0f MB/s, ratio %.2f%% (runs in order: %s)%n", name, bytes / sorted[RUNS / 2] / 1e6,
                100.0 * runs[0].compressedBytes() / bytes, String.join(", ", all));
    }

    private static Outcome spool(byte[] data, Path work, int threads) throws IOException {
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
            return new Outcome(seconds, sealed.sizeBytes());
        }
    }

    private static Outcome external(List<String> command, Path input, Path output) throws Exception {
        List<String> full = new ArrayList<>(command);
        full.add("-c");
        full.add(input.toString());
        long start = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(full).redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            return null;
        }
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", full) + " failed");
        }
        return new Outcome((System.nanoTime() - start) / 1e9, Files.size(output));
    }
}
