package io.s3logger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to exit within {@code -shutdown-timeout} plus about a second, with the fat jar, whatever
 * the store or the disk does: an S3 endpoint that takes uploads and never answers, one that reads
 * them at 100 KB/s, and a spool disk that is full. Each prints the time from SIGTERM to exit.
 */
class ShutdownDeadlineIT {

    private static final Duration DEADLINE = Duration.ofSeconds(3);
    private static final String DEADLINE_FLAG = "3s";
    /** What the bound allows beyond the deadline: the stop's grace for interrupted threads, and the JVM's exit. */
    private static final Duration SLACK = Duration.ofMillis(1500);
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path work;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
    }

    @Test
    void aStoreThatNeverAnswersAnUploadDoesNotHoldTheExitPastTheDeadline() throws Exception {
        FakeS3 s3 = new FakeS3(0);
        assertExitInTimeWithUploadsInProgress(s3, 20_000, () -> s3.uploadsStarted() > 0, "stalled store");
    }

    @Test
    void aStoreReadingAt100KBPerSecondDoesNotHoldTheExitPastTheDeadline() throws Exception {
        FakeS3 s3 = new FakeS3(100_000);
        assertExitInTimeWithUploadsInProgress(s3, 60_000, () -> s3.bytesRead() > 100_000, "store at 100 KB/s");
    }

    private void assertExitInTimeWithUploadsInProgress(FakeS3 s3, int objects, Callable<Boolean> uploading, String what)
            throws Exception {
        toClose.add(s3);
        try (ChildProgram program = ChildProgram.start(s3.environment(), "-bucket", "b", "-addr", "127.0.0.1:0",
                "-dir", work.resolve("spool").toString(), "-t", "1s", "-shutdown-timeout", DEADLINE_FLAG)) {
            JsonClient.send(program.awaitListening(), 1, objects, JsonClient.Shape.COMPACT_LINES);
            await().atMost(START).until(uploading);

            Duration exit = terminate(program, what);

            assertThat(program.outputText()).containsPattern("segments? stays? in the spool");
            assertThat(exit).isLessThan(DEADLINE.plus(SLACK));
        }
    }

    @Test
    void aFullSpoolDiskDoesNotHoldTheExitPastTheDeadlineAndTheLossIsCountedAtError() throws Exception {
        Path small = Files.createDirectory(work.resolve("small"));
        if (run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", small.toString()) != 0) {
            System.out.println("ShutdownDeadlineIT: full disk skipped: cannot mount a tmpfs here (not root or no permission)");
            Assumptions.abort("cannot mount a tmpfs");
        }
        toClose.add(() -> {
            if (run("umount", small.toString()) != 0) {
                run("umount", "-l", small.toString());
            }
        });
        Path spool = small.resolve("spool");
        try (ChildProgram program = ChildProgram.start("-addr", "127.0.0.1:0", "-dir", spool.toString(),
                "-local-store", work.resolve("objects").toString(), "-t", "1h", "-flush-interval", "100ms",
                "-shutdown-timeout", DEADLINE_FLAG)) {
            InetSocketAddress address = program.awaitListening();
            Files.write(small.resolve("filler"), new byte[4 * 1024 * 1024 - 64 * 1024]); // leaves about 64 KiB
            Thread client = Thread.ofVirtual().start(() -> {
                try {
                    JsonClient.send(address, 1, 200_000, JsonClient.Shape.COMPACT_LINES);
                } catch (Exception e) {
                    // the program stops reading, then exits: the connection breaks
                }
            });
            await().atMost(START).until(() -> program.outputText().contains("Writing to the spool failed")
                    || program.outputText().contains("Flushing or sealing the open segment failed"));

            Duration exit = terminate(program, "spool disk full");

            client.join(Duration.ofSeconds(30));
            assertThat(program.outputText()).containsPattern("ERROR.*LOST up to [0-9]+ objects?");
            assertThat(exit).isLessThan(DEADLINE.plus(SLACK));
        }
    }

    /** SIGTERM, and the time until the process has exited (with status 0). */
    private static Duration terminate(ChildProgram program, String what) throws InterruptedException {
        long start = System.nanoTime();
        int status = program.terminate(Duration.ofSeconds(60));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("ShutdownDeadlineIT: %s: SIGTERM to exit %d ms with -shutdown-timeout %s%n",
                what, took.toMillis(), DEADLINE_FLAG);
        assertThat(status).as(program.outputText()).isZero();
        return took;
    }

    private static int run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    /**
     * An S3 endpoint that answers HEAD and GET (the start-up check: the bucket, then the listing of
     * abandoned multipart uploads, empty) and takes every other request without ever answering: it reads nothing of it ({@code bytesPerSecond} 0, a stalled store) or reads
     * it at {@code bytesPerSecond} (a slow one).
     */
    private static final class FakeS3 implements AutoCloseable {

        private static final byte[] EMPTY_LISTING = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<ListMultipartUploadsResult><Bucket>b</Bucket><IsTruncated>false</IsTruncated>"
                + "</ListMultipartUploadsResult>").getBytes(StandardCharsets.UTF_8);

        private final ServerSocket server;
        private final long bytesPerSecond;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final CountDownLatch closed = new CountDownLatch(1);
        private volatile int uploadsStarted;
        private volatile long bytesRead;

        FakeS3(long bytesPerSecond) throws IOException {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            this.bytesPerSecond = bytesPerSecond;
            Thread.ofVirtual().start(this::accept);
        }

        Map<String, String> environment() {
            return Map.of("AWS_ACCESS_KEY_ID", "AKIAFAKE", "AWS_SECRET_ACCESS_KEY", "fake-secret",
                    "AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + server.getLocalPort(),
                    "AWS_EC2_METADATA_DISABLED", "true");
        }

        int uploadsStarted() {
            return uploadsStarted;
        }

        long bytesRead() {
            return bytesRead;
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    sockets.add(socket);
                    Thread.ofVirtual().start(() -> serve(socket));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket socket) {
            try (socket) {
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                while (true) {
                    String head = readHead(in);
                    if (head == null) {
                        return;
                    }
                    if (!head.startsWith("HEAD ") && !head.startsWith("GET ")) {
                        break;
                    }
                    byte[] body = head.startsWith("GET ") ? EMPTY_LISTING : new byte[0];
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: " + body.length
                            + "\r\nx-amz-request-id: fake\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                }
                uploadsStarted++;
                byte[] chunk = new byte[(int) Math.max(1, bytesPerSecond / 10)];
                while (bytesPerSecond > 0) {
                    int n = in.read(chunk);
                    if (n < 0) {
                        return;
                    }
                    bytesRead += n;
                    LockSupport.parkNanos(100_000_000L); // load shaping: a tenth of a second's worth per 100 ms
                }
                closed.await(); // a stalled store: reads nothing more, answers nothing, until the test ends
            } catch (IOException e) {
                // the program exited or the test closed the socket
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** The request line and headers, or null at the end of the stream. */
        private static String readHead(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                head.append((char) c);
                if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                    return head.toString();
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            closed.countDown();
            server.close();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
