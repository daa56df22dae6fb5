package io.s3logger.adapter.fs.bench;

import io.s3logger.adapter.fs.GzipSegmentSpool;
import io.s3logger.domain.model.SealedSegment;
import io.s3logger.domain.model.SegmentId;
import io.s3logger.domain.port.out.OpenSegment;
import io.s3logger.domain.testing.LogEventGenerator;
import java.io.IOException;
import java.lang.management.ManagementFactory;
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
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private SpoolThroughput() {}

    public static void main(String[] args) throws Exception {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 256;
        Path work = Files.createTempDirectory(args.length > 1 ? Path.of(args[1]) : Path.of(System.getProperty("java.io.tmpdir")), "spool-throughput");
        try {
            byte[] data = LogEventGenerator.generate(mib * 1024 * 1024, 42).bytes();
            Path input = work.resolve("input.ndjson");
            Files.write(input, data);
            System.out.printf("input: %d bytes of NDJSON, %d-byte appends, %d processors, median of %d runs, load average %s%n",
                    data.length, BATCH_BYTES, Runtime.getRuntime().availableProcessors(), RUNS, loadAverage());
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
            System.out.println("load average at the end: " + loadAverage()
                    + " (MB per CPU-second does not depend on other processes' load; MB/s does)");
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

    /** Wall seconds, CPU seconds of the compressing process(es), size of the output. */
    private record Outcome(double seconds, double cpuSeconds, long compressedBytes) {}

    private static void report(String name, long bytes, Outcome[] runs) {
        if (runs[0] == null) {
            System.out.printf("%-36s not installed%n", name);
            return;
        }
        List<String> all = new ArrayList<>();
        double[] seconds = new double[RUNS];
        double[] cpuSeconds = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            all.add(String.format("%.0f", bytes / runs[i].seconds() / 1e6));
            seconds[i] = runs[i].seconds();
            cpuSeconds[i] = runs[i].cpuSeconds();
        }
        Arrays.sort(seconds);
        Arrays.sort(cpuSeconds);
        System.out.printf("%-36s %5.0f MB/s, %5.0f MB per CPU-second, compressed to %.2f%% (MB/s of the runs in order: %s)%n",
                name, bytes / seconds[RUNS / 2] / 1e6, bytes / cpuSeconds[RUNS / 2] / 1e6,
                100.0 * runs[0].compressedBytes() / bytes, String.join(", ", all));
    }

    private static Outcome spool(byte[] data, Path work, int threads) throws IOException {
        Path dir = work.resolve("spool-" + threads);
        try (GzipSegmentSpool spool = GzipSegmentSpool.open(dir, 1, threads)) {
            long cpuStart = PROCESS.getProcessCpuTime();
            long start = System.nanoTime();
            OpenSegment segment = spool.create(new SegmentId(Instant.now(), System.nanoTime()));
            for (int offset = 0; offset < data.length; offset += BATCH_BYTES) {
                segment.append(data, offset, Math.min(BATCH_BYTES, data.length - offset));
            }
            SealedSegment sealed = segment.seal();
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (PROCESS.getProcessCpuTime() - cpuStart) / 1e9;
            spool.delete(sealed);
            return new Outcome(seconds, cpuSeconds, sealed.sizeBytes());
        }
    }

    private static Outcome external(List<String> command, Path input, Path output) throws Exception {
        List<String> full = new ArrayList<>(command);
        full.add("-c");
        full.add(input.toString());
        double childCpuStart = childrenCpuSeconds();
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
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Outcome(seconds, childrenCpuSeconds() - childCpuStart, Files.size(output));
    }

    /** User + system time of the waited-for children, from /proc/self/stat (Linux; clock ticks of 1/100 s). */
    public static double childrenCpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) / 100.0; // cutime, cstime
    }

    public static String loadAverage() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }
}
