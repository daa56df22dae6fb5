package io.s3logger.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A test client: sends objects in one of several shapes and remembers the compact line each
 * must be stored as.
 */
final class JsonClient {

    enum Shape { COMPACT_LINES, PRETTY, CONCATENATED }

    private JsonClient() {}

    /** The compact stored form of object {@code seq} of {@code client}. */
    static String line(int client, int seq, Shape shape) {
        return "{\"client\":" + client + ",\"seq\":" + seq + ",\"shape\":\"" + shape
                + "\",\"v\":[1.10,-0,1e400,\"caf\\u00e9 \\\"q\\\" ü\"],\"pad\":\"" + "x".repeat(seq % 50) + "\"}";
    }

    /** The same object as the client sends it. */
    static String wire(int client, int seq, Shape shape) {
        String compact = line(client, seq, shape);
        return switch (shape) {
            case COMPACT_LINES -> compact + "\n";
            case CONCATENATED -> compact;
            case PRETTY -> compact.replace("{\"client\"", "{\n  \"client\"")
                    .replace(",\"seq\":", ",\n  \"seq\" : ")
                    .replace(",\"v\":[", ",\r\n\t\"v\": [ ")
                    .replace("}", "\n}\n");
        };
    }

    /**
     * Sends {@code count} objects, closes its sending side and waits until the server has read
     * everything and closed the connection (the server never writes, so the read sees EOF).
     *
     * @return the compact lines the store must hold
     */
    static List<String> send(InetSocketAddress address, int client, int count, Shape shape) throws IOException {
        List<String> expected = new ArrayList<>(count);
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            for (int seq = 0; seq < count; seq++) {
                out.write(wire(client, seq, shape).getBytes(StandardCharsets.UTF_8));
                expected.add(line(client, seq, shape));
            }
            out.flush();
            socket.shutdownOutput();
            awaitServerClose(socket.getInputStream());
        }
        return expected;
    }

    /**
     * Clients {@code first..first+count-1} at once, client {@code i} sending {@code objectsEach}
     * objects in shape {@code i % 3} to {@code targets[i % targets.length]}.
     *
     * @return the compact lines the store must hold
     */
    static List<String> sendConcurrently(int first, int count, int objectsEach, InetSocketAddress... targets)
            throws Exception {
        List<String> expected = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<String>>> sent = new ArrayList<>();
            for (int client = first; client < first + count; client++) {
                int id = client;
                InetSocketAddress target = targets[client % targets.length];
                Shape shape = Shape.values()[client % Shape.values().length];
                sent.add(clients.submit(() -> send(target, id, objectsEach, shape)));
            }
            for (Future<List<String>> future : sent) {
                expected.addAll(future.get());
            }
        }
        return expected;
    }

    /** Reads until EOF; fails if the server ever sends a byte. */
    static void awaitServerClose(InputStream in) throws IOException {
        int read = in.read();
        if (read != -1) {
            throw new AssertionError("server wrote to the client: " + read);
        }
    }
}
