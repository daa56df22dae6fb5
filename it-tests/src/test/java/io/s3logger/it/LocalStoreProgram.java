package io.s3logger.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The fat jar on the local store, as a user runs it for a client recipe: started, restarted on the
 * same port (after SIGTERM or SIGKILL) with the same spool, and its delivered lines read back.
 */
final class LocalStoreProgram implements AutoCloseable {

    private static final Duration EXIT = Duration.ofSeconds(60);

    private final Path spool;
    private final Path objects;
    private ChildProgram program;
    private InetSocketAddress address;

    private final List<String> flags;

    private LocalStoreProgram(Path work, List<String> flags) {
        this.spool = work.resolve("spool");
        this.objects = work.resolve("objects");
        this.flags = flags;
    }

    /** Starts the program on a free port of 127.0.0.1, with {@code flags} after the usual ones. */
    static LocalStoreProgram start(Path work, String... flags) throws IOException {
        LocalStoreProgram program = new LocalStoreProgram(work, List.of(flags));
        program.launch(0);
        return program;
    }

    private void launch(int port) throws IOException {
        List<String> args = new ArrayList<>(List.of("-addr", "127.0.0.1:" + port, "-dir", spool.toString(),
                "-local-store", objects.toString(), "-t", "1h", "-metrics-addr="));
        args.addAll(flags);
        program = ChildProgram.start(args.toArray(String[]::new));
        address = program.awaitListening();
    }

    InetSocketAddress address() {
        return address;
    }

    Path objects() {
        return objects;
    }

    /** SIGTERM: the program seals and delivers everything it accepted, then exits 0. */
    void stop() throws InterruptedException {
        assertThat(program.terminate(EXIT)).as(program.outputText()).isZero();
    }

    /** SIGKILL: what was flushed to the spool is recovered at the next start. */
    void kill() throws InterruptedException {
        program.kill(EXIT);
    }

    /** Starts again on the same port and spool. */
    void restart() throws IOException {
        launch(address.getPort());
    }

    /** Every line of every delivered object, after {@link #stop()}. */
    List<String> storedLines() throws IOException {
        List<String> lines = new ArrayList<>();
        if (!Files.exists(objects)) {
            return lines;
        }
        try (Stream<Path> files = Files.walk(objects)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                StoredObjects.assertKeyLayout(objects.relativize(file).toString());
                lines.addAll(StoredObjects.lines(Files.readAllBytes(file)));
            }
        }
        return lines;
    }

    @Override
    public void close() {
        program.close();
    }
}
