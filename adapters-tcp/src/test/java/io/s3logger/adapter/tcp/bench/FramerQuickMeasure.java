package io.s3logger.adapter.tcp.bench;

import io.s3logger.adapter.tcp.FramingException;
import io.s3logger.domain.testing.LogEventGenerator;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * A quick, JMH-free measure of {@link FramerBenchmark}'s workload on one thread: warms up, then
 * prints the median and range of {@code runs} (default 5) timed passes over the sample, in MB/s
 * (10^6 bytes) of input per second of this thread's CPU time (a shared machine's other load then
 * disturbs it less than wall time), and the wall-time median. Start it like {@link
 * FramerBenchmark}, optionally with the run count.
 */
public final class FramerQuickMeasure {

    private FramerQuickMeasure() {}

    public static void main(String[] args) throws FramingException {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        byte[] data = LogEventGenerator.generate(FramerBenchmark.SAMPLE_MIB * 1024L * 1024L, 42).bytes();
        long checksum = 0;
        for (int i = 0; i < 5; i++) {
            checksum += FramerBenchmark.frame(data);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] perCpuSecond = new double[runs];
        double[] perWallSecond = new double[runs];
        for (int i = 0; i < runs; i++) {
            long cpuStart = threads.getCurrentThreadCpuTime();
            long wallStart = System.nanoTime();
            for (int pass = 0; pass < 3; pass++) {
                checksum += FramerBenchmark.frame(data);
            }
            perCpuSecond[i] = 3.0 * data.length * 1e3 / (threads.getCurrentThreadCpuTime() - cpuStart);
            perWallSecond[i] = 3.0 * data.length * 1e3 / (System.nanoTime() - wallStart);
        }
        Arrays.sort(perCpuSecond);
        Arrays.sort(perWallSecond);
        System.out.printf(Locale.ROOT, "framer: median %.0f MB/s per CPU second, range %.0f..%.0f over %d runs; wall-time median %.0f MB/s"
                + " (%d output bytes)%n", perCpuSecond[runs / 2], perCpuSecond[0], perCpuSecond[runs - 1], runs,
                perWallSecond[runs / 2], checksum);
    }
}
