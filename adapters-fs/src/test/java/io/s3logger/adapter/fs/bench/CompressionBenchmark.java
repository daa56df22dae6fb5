package io.s3logger.adapter.fs.bench;

import io.s3logger.adapter.fs.GzipSegmentSpool;
import io.s3logger.domain.model.SegmentId;
import io.s3logger.domain.port.out.OpenSegment;
import io.s3logger.domain.testing.LogEventGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * JMH benchmark of the compression path: {@value #SAMPLE_MIB} MiB of NDJSON appended in 64 KiB
 * batches into a segment that is then sealed, with 1 and 2 compression threads. The score is
 * MiB of input per second ("ops/s"). Not run by the tests; start it with {@link #main} from the
 * module directory after {@code mvn test-compile}:
 *
 * <pre>
 * mvn -q -o dependency:build-classpath -Dmdep.outputFile=cp.txt
 * java -cp target/classes:target/test-classes:$(cat cp.txt) io.s3logger.adapter.fs.bench.CompressionBenchmark [JMH options]
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class CompressionBenchmark {

    static final int SAMPLE_MIB = 64;
    private static final int BATCH_BYTES = 64 * 1024;

    @Param({"1", "2"})
    int threads;

    private byte[] data;
    private Path dir;
    private GzipSegmentSpool spool;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        data = LogEventGenerator.generate(SAMPLE_MIB * 1024L * 1024L, 42).bytes();
        dir = Files.createTempDirectory("compression-benchmark");
        spool = GzipSegmentSpool.open(dir, 1, threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        spool.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLE_MIB)
    public long spoolIntoASealedSegment() throws IOException {
        OpenSegment segment = spool.create(new SegmentId(Instant.now(), System.nanoTime()));
        for (int offset = 0; offset < data.length; offset += BATCH_BYTES) {
            segment.append(data, offset, Math.min(BATCH_BYTES, data.length - offset));
        }
        var sealed = segment.seal();
        spool.delete(sealed);
        return sealed.sizeBytes();
    }

    /** Runs this benchmark; JMH command-line options (e.g. {@code -wi 1 -i 3 -p threads=2}) are accepted. */
    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        new Runner(new OptionsBuilder()
                        .parent(new CommandLineOptions(args))
                        .include(CompressionBenchmark.class.getSimpleName())
                        .build())
                .run();
    }
}
