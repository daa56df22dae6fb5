package io.s3logger.adapter.tcp.bench;

import io.s3logger.adapter.tcp.FramingException;
import io.s3logger.adapter.tcp.JsonObjectFramer;
import io.s3logger.domain.testing.LogEventGenerator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * JMH benchmark of {@link JsonObjectFramer} on one thread: {@value #SAMPLE_MIB} MiB of generated
 * log events ({@link LogEventGenerator}, from the domain test-jar) fed in 64 KiB reads, a batch taken after each read as a
 * connection does. The score is MiB of input per second per thread ("ops/s"). Not run by the
 * tests; from the module directory after {@code mvn test-compile}:
 *
 * <pre>
 * mvn -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
 * java -cp target/classes:target/test-classes:$(cat target/bench.classpath) io.s3logger.adapter.tcp.bench.FramerBenchmark [JMH options]
 * </pre>
 *
 * {@link FramerQuickMeasure} gives a rougher number in a few seconds without JMH.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FramerBenchmark {

    static final int SAMPLE_MIB = 32;
    static final int READ_BYTES = 64 * 1024;

    private byte[] data;

    @Setup(Level.Trial)
    public void setUp() {
        data = LogEventGenerator.generate(SAMPLE_MIB * 1024L * 1024L, 42).bytes();
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLE_MIB)
    public long frameLogEvents() throws FramingException {
        return frame(data);
    }

    /** Frames {@code data} in {@link #READ_BYTES} reads; returns the output bytes so nothing is dead. */
    static long frame(byte[] data) throws FramingException {
        long produced = 0;
        try (JsonObjectFramer framer = new JsonObjectFramer(io.s3logger.adapter.tcp.FramingLimits.DEFAULT)) {
            for (int off = 0; off < data.length; off += READ_BYTES) {
                framer.feed(data, off, Math.min(READ_BYTES, data.length - off));
                produced += framer.takeBatch().length();
            }
        }
        return produced;
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        new Runner(new CommandLineOptions(args.length == 0 ? new String[] {FramerBenchmark.class.getSimpleName()} : args)).run();
    }
}
