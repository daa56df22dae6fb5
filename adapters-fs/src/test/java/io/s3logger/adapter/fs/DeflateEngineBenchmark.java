package io.s3logger.adapter.fs;

import io.s3logger.domain.testing.LogEventGenerator;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
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
 * JMH benchmark of one core compressing 1 MiB blocks of the generated log data into gzip members,
 * with each {@link DeflateEngine}: the score (ops/s) is MiB of input per second per core. Not run
 * by the tests; start it from the module directory after {@code mvn test-compile}:
 *
 * <pre>
 * mvn -q -o dependency:build-classpath -Dmdep.outputFile=cp.txt
 * java --enable-native-access=ALL-UNNAMED -cp target/classes:target/test-classes:$(cat cp.txt) \
 *     io.s3logger.adapter.fs.DeflateEngineBenchmark [JMH options]
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class DeflateEngineBenchmark {

    private static final int SAMPLE_BLOCKS = 64;

    /** A {@link DeflateEngine} name (JMH cannot set a package-private enum). */
    @Param({"ISAL", "ZLIB"})
    String engine;

    @Param({"1"})
    int level;

    private byte[][] blocks;
    private GzipMemberEncoder encoder;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] data = LogEventGenerator.generate((long) SAMPLE_BLOCKS * BlockCompressor.BLOCK_BYTES, 42).bytes();
        blocks = new byte[SAMPLE_BLOCKS][];
        for (int i = 0; i < SAMPLE_BLOCKS; i++) {
            blocks[i] = Arrays.copyOfRange(data, i * BlockCompressor.BLOCK_BYTES, (i + 1) * BlockCompressor.BLOCK_BYTES);
        }
        encoder = DeflateEngine.valueOf(engine).newEncoder(level);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        encoder.end();
    }

    /** One 1 MiB block into one member; returns its size so the work cannot be optimised away. */
    @Benchmark
    public int encodeOneMebibyte() {
        byte[] block = blocks[next];
        next = (next + 1) % SAMPLE_BLOCKS;
        return encoder.encode(block, block.length).remaining();
    }

    /** Runs this benchmark; JMH command-line options (e.g. {@code -wi 1 -i 3 -p engine=ZLIB}) are accepted. */
    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        new Runner(new OptionsBuilder()
                        .parent(new CommandLineOptions(args))
                        .include(DeflateEngineBenchmark.class.getSimpleName())
                        .build())
                .run();
    }
}
