package io.s3logger.adapter.tcp.bench;

import io.s3logger.adapter.tcp.FramingException;
import java.util.Arrays;
import java.util.Locale;

/**
 * A quick, JMH-free measure of {@link FramerBenchmark}'s workload on one thread: warms up, then
 * prints the median and range of {@code runs} (default 5) timed passes over the sample, in MB/s
 * (10^6 bytes) of input. Start it like {@link FramerBenchmark}, optionally with the run count.
 */
public final class FramerQuickMeasure {

    private FramerQuickMeasure() {}

    public static void main(String[] args) throws FramingException {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        byte[] data = LogEventStream.generate(FramerBenchmark.SAMPLE_MIB * 1024L * 1024L, 42);
        long checksum = 0;
        for (int i = 0; i < 5; i++) {
            checksum += FramerBenchmark.frame(data);
        }
        double[] mbPerSecond = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            for (int pass = 0; pass < 3; pass++) {
                checksum += FramerBenchmark.frame(data);
            }
            mbPerSecond[i] = 3.0 * data.length / 1e6 / ((System.nanoTime() - start) / 1e9);
        }
        Arrays.sort(mbPerSecond);
        System.out.printf(Locale.ROOT, "framer: median %.0f MB/s per thread, range %.0f..%.0f over %d runs (%d output bytes)%n",
                mbPerSecond[runs / 2], mbPerSecond[0], mbPerSecond[runs - 1], runs, checksum);
    }
}
