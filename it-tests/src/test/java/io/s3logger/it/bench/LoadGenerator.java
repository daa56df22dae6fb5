package io.s3logger.it.bench;

import io.s3logger.domain.testing.LogEventGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives N connections at full speed (or, with {@code -rate-mb}, at a total rate in MB/s shared
 * evenly by the connections) against a running s3logger and reports MB/s and objects/s.
 * The total volume is shared by the connections: each sends a generated sample (of the total
 * divided by N, at most 64 MB) as often as needed, then half-closes and waits for the server to
 * close: the clock stops only when the server has read everything.
 *
 * <p>The clock starts after the sample is generated, just before the first connection is opened;
 * the result line gives that instant on the wall clock too ({@code start_epoch_ns}, nanoseconds
 * since the epoch, the clock of {@code date +%s%N}), so that a caller can time an interval that
 * begins when the sending begins and ends at an event of its own (load.sh: the program's exit).
 *
 * <p>With {@code -write-sample FILE} it sends nothing and writes to FILE what a single connection
 * would send for the given total: the sample, repeated to the total (the reference compressor's
 * input in load.sh).
 *
 * <pre>
 * java -cp it-tests/target/test-classes:domain/target/test-classes io.s3logger.it.bench.LoadGenerator \
 *     -addr 127.0.0.1:8080 -connections 8 -total-mb 256 [-rate-mb 250] [-pretty] [-write-sample FILE]
 * </pre>
 */
public final class LoadGenerator {

    /**
     * One run's outcome. {@code startEpochNanos} is the wall-clock instant (nanoseconds since the
     * epoch) at which {@code elapsed} began: just before the first connection was opened.
     */
    public record Result(int connections, long bytes, long objects, Duration elapsed, long startEpochNanos) {
        public double megabytesPerSecond() {
            return bytes / 1e6 / seconds();
        }

        public double objectsPerSecond() {
            return objects / seconds();
        }

        private double seconds() {
            return elapsed.toNanos() / 1e9;
        }

        @Override
        public String toString() {
            return String.format("connections=%d bytes=%d objects=%d seconds=%.3f MB/s=%.1f objects/s=%.0f start_epoch_ns=%d",
                    connections, bytes, objects, seconds(), megabytesPerSecond(), objectsPerSecond(), startEpochNanos);
        }
    }

    private LoadGenerator() {}

    /** Sends at full speed. */
    public static Result run(InetSocketAddress address, int connections, LogEventGenerator.Sample sample, int repeats)
            throws Exception {
        return run(address, connections, sample, repeats, 0);
    }

    /**
     * @param bytesPerSecond the total send rate, shared evenly by the connections; 0 for full speed
     */
    public static Result run(InetSocketAddress address, int connections, LogEventGenerator.Sample sample, int repeats,
            double bytesPerSecond) throws Exception {
        Instant wallStart = Instant.now();
        long start = System.nanoTime();
        double nanosPerByte = bytesPerSecond > 0 ? 1e9 * connections / bytesPerSecond : 0;
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Void>> sent = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                sent.add(clients.submit(() -> {
                    send(address, sample.bytes(), repeats, start, nanosPerByte);
                    return null;
                }));
            }
            for (Future<Void> future : sent) {
                future.get();
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        long copies = (long) connections * repeats;
        long startEpochNanos = Math.addExact(Math.multiplyExact(wallStart.getEpochSecond(), 1_000_000_000L), wallStart.getNano());
        return new Result(connections, copies * sample.bytes().length, copies * sample.objects(), elapsed, startEpochNanos);
    }

    /** Paced sends go in chunks of this size, each when the connection's schedule allows it. */
    private static final int PACED_CHUNK_BYTES = 64 * 1024;

    private static void send(InetSocketAddress address, byte[] data, int repeats, long start, double nanosPerByte)
            throws IOException {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            OutputStream out = socket.getOutputStream();
            long sent = 0;
            for (int i = 0; i < repeats; i++) {
                if (nanosPerByte == 0) {
                    out.write(data);
                    continue;
                }
                for (int offset = 0; offset < data.length; offset += PACED_CHUNK_BYTES) {
                    // A pacing schedule, not a wait for a condition: the load generator's clock.
                    LockSupport.parkNanos(start + (long) (sent * nanosPerByte) - System.nanoTime());
                    int length = Math.min(PACED_CHUNK_BYTES, data.length - offset);
                    out.write(data, offset, length);
                    sent += length;
                }
            }
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            if (in.read() != -1) {
                throw new IOException("the server wrote to the client");
            }
        }
    }

    private static final long MAX_SAMPLE_BYTES = 64_000_000;

    public static void main(String[] args) throws Exception {
        String addr = "127.0.0.1:8080";
        int connections = 1;
        long totalBytes = 256_000_000;
        boolean pretty = false;
        double bytesPerSecond = 0;
        Path writeSample = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-addr" -> addr = args[++i];
                case "-connections" -> connections = Integer.parseInt(args[++i]);
                case "-total-mb" -> totalBytes = Long.parseLong(args[++i]) * 1_000_000;
                case "-pretty" -> pretty = true;
                case "-write-sample" -> writeSample = Path.of(args[++i]);
                case "-rate-mb" -> bytesPerSecond = Double.parseDouble(args[++i]) * 1e6;
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (use -addr, -connections, -total-mb, -rate-mb, -pretty, -write-sample)");
            }
        }
        long share = Math.max(1, totalBytes / connections);
        LogEventGenerator.Sample compact = LogEventGenerator.generate(Math.min(share, MAX_SAMPLE_BYTES), 1);
        LogEventGenerator.Sample sample = pretty ? compact.pretty() : compact;
        int repeats = (int) Math.max(1, (share + compact.bytes().length - 1) / compact.bytes().length);
        if (writeSample != null) {
            try (OutputStream out = Files.newOutputStream(writeSample)) {
                for (int i = 0; i < repeats; i++) {
                    out.write(sample.bytes());
                }
            }
            System.out.printf("wrote %d bytes, %d objects (a sample of %d bytes, %d times) to %s%n",
                    (long) repeats * sample.bytes().length, (long) repeats * sample.objects(),
                    sample.bytes().length, repeats, writeSample);
            return;
        }
        int colon = addr.lastIndexOf(':');
        InetSocketAddress address = new InetSocketAddress(addr.substring(0, colon), Integer.parseInt(addr.substring(colon + 1)));
        // Formatting once beforehand loads the formatting code, so the line is printed right when
        // reading ends (load.sh sends SIGTERM to the program when it reads the line).
        new Result(0, 0, 0, Duration.ofNanos(1), 0).toString();
        System.out.println(run(address, connections, sample, repeats, bytesPerSecond));
    }
}
