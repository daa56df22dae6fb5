package io.s3logger.adapter.fs;

import io.s3logger.adapter.fs.bench.SpoolThroughput;
import io.s3logger.domain.testing.LogEventGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Measurement, not a test: one thread compresses the generated log data ({@link
 * LogEventGenerator}, seed 42) into 1 MiB gzip members with each available {@link DeflateEngine}
 * at levels 1 and 2 (ISA-L's levels), and {@code gzip -1} compresses the same file, in rounds, so
 * a change in the machine's load affects all alike. Per run: CPU seconds per GB of input (the
 * compressing thread's CPU time, or gzip's), output size as % of input; every output is checked
 * with {@code gzip -dc | cmp}. Then the median (min–max). From the repository's root (the reactor
 * resolves the domain module's classes; each module gets its target/cp.txt):
 *
 * <pre>
 * mvn -q -pl adapters-fs -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * cd adapters-fs
 * java --enable-native-access=ALL-UNNAMED -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *     io.s3logger.adapter.fs.DeflateEngineMeasure [MiB, default 256] [runs, default 3] [work dir]
 * </pre>
 */
public final class DeflateEngineMeasure {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private DeflateEngineMeasure() {}

    /** CPU seconds of the compressing thread or process, and the compressed size. */
    private record Outcome(double cpuSeconds, long compressedBytes) {}

    private interface Contender {
        Outcome run(Path output) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 256;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path work = Files.createTempDirectory(args.length > 2 ? Path.of(args[2]) : Path.of(System.getProperty("java.io.tmpdir")), "deflate-measure");
        try {
            byte[] data = LogEventGenerator.generate(mib * 1024 * 1024, 42).bytes();
            Path input = Files.write(work.resolve("input.ndjson"), data);
            System.out.printf("input: %d bytes of generated log events, 1 MiB members, one thread, %d runs, load average %s%n",
                    data.length, runs, SpoolThroughput.loadAverage());
            Map<String, Contender> contenders = new LinkedHashMap<>();
            for (DeflateEngine engine : DeflateEngine.values()) {
                if (!engine.isAvailable()) {
                    System.out.printf("%s: not available here%n", engine.displayName());
                    continue;
                }
                for (int level : new int[] {1, 2}) {
                    if (engine.supports(level)) {
                        contenders.put(engine.name() + " level " + level, output -> encode(engine, level, data, output));
                    }
                }
            }
            contenders.put("gzip -1", output -> gzip(input, output));
            for (Map.Entry<String, Contender> contender : contenders.entrySet()) { // warm-up
                contender.getValue().run(work.resolve("warm-up.gz"));
            }
            Map<String, List<Outcome>> outcomes = new LinkedHashMap<>();
            for (int run = 1; run <= runs; run++) {
                for (Map.Entry<String, Contender> contender : contenders.entrySet()) {
                    Path output = work.resolve("output.gz");
                    Outcome outcome = contender.getValue().run(output);
                    checkDecompressesTo(output, input);
                    outcomes.computeIfAbsent(contender.getKey(), name -> new ArrayList<>()).add(outcome);
                    System.out.printf("run %d  %-20s %6.3f CPU s per GB  %6.2f %% of input  (gzip -dc | cmp: same)%n",
                            run, contender.getKey(), perGb(outcome.cpuSeconds(), data.length),
                            100.0 * outcome.compressedBytes() / data.length);
                }
            }
            System.out.println("median (min-max) of " + runs + " runs:");
            outcomes.forEach((name, list) -> System.out.printf("%-20s %s CPU s per GB  %s %% of input%n", name,
                    summary(list.stream().mapToDouble(o -> perGb(o.cpuSeconds(), data.length)).toArray(), "%.2f"),
                    summary(list.stream().mapToDouble(o -> 100.0 * o.compressedBytes() / data.length).toArray(), "%.2f")));
            System.out.println("load average at the end: " + SpoolThroughput.loadAverage());
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Outcome encode(DeflateEngine engine, int level, byte[] data, Path output) throws IOException {
        GzipMemberEncoder encoder = engine.newEncoder(level);
        byte[] block = new byte[BlockCompressor.BLOCK_BYTES];
        long compressed = 0;
        double cpuSeconds = 0;
        try (OutputStream out = Files.newOutputStream(output); WritableByteChannel channel = Channels.newChannel(out)) {
            for (int offset = 0; offset < data.length; offset += block.length) {
                int length = Math.min(block.length, data.length - offset);
                System.arraycopy(data, offset, block, 0, length); // as the writer fills a block
                long start = THREADS.getCurrentThreadCpuTime();
                ByteBuffer member = encoder.encode(block, length);
                cpuSeconds += (THREADS.getCurrentThreadCpuTime() - start) / 1e9;
                compressed += member.remaining();
                channel.write(member);
            }
        } finally {
            encoder.end();
        }
        return new Outcome(cpuSeconds, compressed);
    }

    private static Outcome gzip(Path input, Path output) throws Exception {
        double start = SpoolThroughput.childrenCpuSeconds();
        Process gzip = new ProcessBuilder("gzip", "-1", "-c", input.toString()).redirectOutput(output.toFile()).start();
        if (!gzip.waitFor(10, TimeUnit.MINUTES) || gzip.exitValue() != 0) {
            throw new IOException("gzip -1 failed");
        }
        return new Outcome(SpoolThroughput.childrenCpuSeconds() - start, Files.size(output));
    }

    private static void checkDecompressesTo(Path gz, Path input) throws Exception {
        Process check = new ProcessBuilder("sh", "-c", "gzip -dc \"$0\" | cmp - \"$1\"", gz.toString(), input.toString())
                .inheritIO().start();
        if (!check.waitFor(10, TimeUnit.MINUTES) || check.exitValue() != 0) {
            throw new AssertionError("gzip -dc " + gz + " | cmp: differs from the input");
        }
    }

    private static double perGb(double cpuSeconds, long bytes) {
        return cpuSeconds / (bytes / 1e9);
    }

    private static String summary(double[] values, String format) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return String.format(format + " (" + format + "-" + format + ")", sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1]);
    }
}
