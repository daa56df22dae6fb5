package io.s3logger.it.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Drives N connections at full speed against a running s3logger and reports MB/s and objects/s.
 * Each connection sends the same generated sample {@code repeats} times, then half-closes and
 * waits for the server to close: the clock stops only when the server has read everything.
 *
 * <pre>
 * java -cp it-tests/target/test-classes io.s3logger.it.bench.LoadGenerator \
 *     -addr 127.0.0.1:8080 -connections 8 -sample-mb 32 -repeats 4 [-write-sample FILE]
 * </pre>
 */
public final class LoadGenerator {

    /** One run's outcome. */
    public record Result(int connections, long bytes, long objects, Duration elapsed) {
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
            return String.format("connections=%d bytes=%d objects=%d seconds=%.3f MB/s=%.1f objects/s=%.0f",
                    connections, bytes, objects, seconds(), megabytesPerSecond(), objectsPerSecond());
        }
    }

    private LoadGenerator() {}

    public static Result run(InetSocketAddress address, int connections, LogEventGenerator.Sample sample, int repeats)
            throws Exception {
        long start = System.nanoTime();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Void>> sent = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                sent.add(clients.submit(() -> {
                    send(address, sample.bytes(), repeats);
                    return null;
                }));
            }
            for (Future<Void> future : sent) {
                future.get();
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        long copies = (long) connections * repeats;
        return new Result(connections, copies * sample.bytes().length, copies * sample.objects(), elapsed);
    }

    private static void send(InetSocketAddress address, byte[] data, int repeats) throws IOException {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < repeats; i++) {
                out.write(data);
            }
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            if (in.read() != -1) {
                throw new IOException("the server wrote to the client");
            }
        }
    }

    public static void main(String[] args) throws Exception {
        String addr = "127.0.0.1:8080";
        int connections = 1;
        int sampleMb = 32;
        int repeats = 4;
        Path writeSample = null;
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "-addr" -> addr = value;
                case "-connections" -> connections = Integer.parseInt(value);
                case "-sample-mb" -> sampleMb = Integer.parseInt(value);
                case "-repeats" -> repeats = Integer.parseInt(value);
                case "-write-sample" -> writeSample = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (use -addr, -connections, -sample-mb, -repeats, -write-sample)");
            }
        }
        LogEventGenerator.Sample sample = LogEventGenerator.generate(sampleMb * 1_000_000L, 1);
        if (writeSample != null) {
            Files.write(writeSample, sample.bytes());
            System.out.printf("wrote %d bytes, %d objects to %s%n", sample.bytes().length, sample.objects(), writeSample);
            return;
        }
        int colon = addr.lastIndexOf(':');
        InetSocketAddress address = new InetSocketAddress(addr.substring(0, colon), Integer.parseInt(addr.substring(colon + 1)));
        System.out.println(run(address, connections, sample, repeats));
    }
}
