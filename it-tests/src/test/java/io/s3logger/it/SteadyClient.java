package io.s3logger.it;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A client that keeps sending numbered objects in small chunks, about one chunk every 10 ms (a
 * steady load the writer keeps up with), until it is stopped or its connection breaks, and
 * records when each chunk was handed to the kernel. Used to tell, after a crash, which objects
 * were sent long enough before it that they must have been stored.
 */
final class SteadyClient implements Runnable {

    /** An object and the time (System.nanoTime) its chunk was written to the socket. */
    record Sent(String line, long sentAtNanos) {}

    private static final int OBJECTS_PER_CHUNK = 50;
    private static final long CHUNK_PAUSE_NANOS = 10_000_000;

    private final InetSocketAddress address;
    private final String name;
    private final List<Sent> sent = new ArrayList<>();
    private volatile boolean stopped;

    SteadyClient(InetSocketAddress address, String name) {
        this.address = address;
        this.name = name;
    }

    static String line(String client, int seq) {
        return "{\"client\":\"" + client + "\",\"seq\":" + seq + ",\"msg\":\"steady \\u00e9 " + "x".repeat(seq % 64) + "\"}";
    }

    @Override
    public void run() {
        try (Socket connection = new Socket(address.getAddress(), address.getPort())) {
            OutputStream out = connection.getOutputStream();
            int seq = 0;
            while (!stopped) {
                StringBuilder chunk = new StringBuilder();
                int first = seq;
                for (int i = 0; i < OBJECTS_PER_CHUNK; i++, seq++) {
                    chunk.append(line(name, seq)).append('\n');
                }
                out.write(chunk.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
                long now = System.nanoTime();
                synchronized (sent) {
                    for (int s = first; s < seq; s++) {
                        sent.add(new Sent(line(name, s), now));
                    }
                }
                LockSupport.parkNanos(CHUNK_PAUSE_NANOS); // load shaping, not waiting for anything
            }
            connection.shutdownOutput();
            JsonClient.awaitServerClose(connection.getInputStream());
        } catch (IOException e) {
            // The program was killed: the connection broke. What was sent is recorded.
        }
    }

    String name() {
        return name;
    }

    /** Ends the stream cleanly: the server reads everything and closes. */
    void stop() {
        stopped = true;
    }

    List<Sent> sent() {
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }

    int sentCount() {
        synchronized (sent) {
            return sent.size();
        }
    }
}
