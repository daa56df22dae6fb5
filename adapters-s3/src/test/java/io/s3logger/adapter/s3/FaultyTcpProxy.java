package io.s3logger.adapter.s3;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of an S3 server that plays a faulty store, per connection as
 * configured when the connection is accepted: forwarding at a limited rate, stalling (reading
 * nothing more from the client after some bytes, answering nothing), or lying (answering every
 * request {@code 200 OK} itself, with a wrong or no ETag, without forwarding anything). Shipped
 * in the test-jar for the integration tests.
 */
public final class FaultyTcpProxy implements AutoCloseable {

    /** An ETag no body has: what a lying proxy answers. */
    public static final String WRONG_ETAG = "\"0123456789abcdef0123456789abcdef\"";

    public enum Lie { NONE, WRONG_ETAG, NO_ETAG }

    private final URI target;
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicInteger stalled = new AtomicInteger();
    private volatile long stallAfterBytes = Long.MAX_VALUE;
    private volatile long bytesPerSecond;
    private volatile Lie lie = Lie.NONE;

    public FaultyTcpProxy(URI target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("faulty-proxy").start(this::accept);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** New connections stop reading the client after this many bytes of its requests. */
    public FaultyTcpProxy stallAfter(long bytes) {
        stallAfterBytes = bytes;
        return this;
    }

    /** New connections pass the client's bytes on at this rate (0: unlimited). */
    public FaultyTcpProxy limitTo(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
        return this;
    }

    public FaultyTcpProxy lie(Lie lie) {
        this.lie = lie;
        return this;
    }

    /** Connections that have stalled so far. */
    public int stalledConnections() {
        return stalled.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                Lie lying = lie;
                if (lying != Lie.NONE) {
                    Thread.ofPlatform().daemon().start(() -> answerAlone(client, lying));
                    continue;
                }
                Socket upstream = new Socket(target.getHost(), target.getPort());
                sockets.add(upstream);
                long stallAt = stallAfterBytes;
                long rate = bytesPerSecond;
                Thread.ofPlatform().daemon().start(() -> pump(client, upstream, stallAt, rate));
                Thread.ofPlatform().daemon().start(() -> pump(upstream, client, Long.MAX_VALUE, 0));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, long stallAt, long rate) {
        byte[] buffer = new byte[rate > 0 ? (int) Math.max(1, Math.min(8192, rate / 20)) : 8192];
        long passed = 0;
        long started = System.nanoTime();
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            while (true) {
                if (passed >= stallAt) {
                    stalled.incrementAndGet();
                    closed.await();
                    return;
                }
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, stallAt - passed));
                if (read < 0) {
                    to.shutdownOutput();
                    return;
                }
                out.write(buffer, 0, read);
                out.flush();
                passed += read;
                if (rate > 0) {
                    // Pace the copy: the bytes so far may not arrive before passed / rate seconds.
                    long due = started + passed * 1_000_000_000L / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Reads each request (head and Content-Length body) and answers 200 itself. */
    private void answerAlone(Socket client, Lie lying) {
        try (InputStream in = new BufferedInputStream(client.getInputStream()); OutputStream out = client.getOutputStream()) {
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                long length = 0;
                boolean expectContinue = false;
                for (String line : head.split("\r\n")) {
                    String lower = line.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("content-length:")) {
                        length = Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
                    } else if (lower.startsWith("expect:") && lower.contains("100-continue")) {
                        expectContinue = true;
                    }
                }
                if (expectContinue) {
                    out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                in.skipNBytes(length);
                String eTag = lying == Lie.WRONG_ETAG ? "ETag: " + WRONG_ETAG + "\r\n" : "";
                out.write(("HTTP/1.1 200 OK\r\n" + eTag + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        closed.countDown();
        server.close();
        sockets.forEach(FaultyTcpProxy::closeQuietly);
    }
}
