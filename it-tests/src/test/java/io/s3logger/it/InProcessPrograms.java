package io.s3logger.it;

import io.s3logger.bootstrap.CommandLine;
import io.s3logger.bootstrap.S3Logger;
import io.s3logger.bootstrap.SettingsLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The assembled program in-process on the in-memory store ({@link InMemoryStoreApplication}),
 * started from command-line flags as a user gives them, on a free port of 127.0.0.1; whatever a
 * test leaves running is stopped after it. Register with {@code @RegisterExtension}.
 */
final class InProcessPrograms implements AfterEachCallback {

    private final List<S3Logger> running = new ArrayList<>();

    /**
     * Starts a program spooling in {@code spool}, with {@code flags} after the usual ones; monitoring
     * is off unless the flags give a {@code -metrics-addr} (a fixed port could be taken).
     */
    InMemoryStoreApplication start(Path spool, String... flags) throws Exception {
        return start(create(spool, flags));
    }

    /** Starts a program {@link #create}d before; it is stopped after the test. */
    InMemoryStoreApplication start(InMemoryStoreApplication app) throws Exception {
        app.s3logger().start();
        running.add(app.s3logger());
        return app;
    }

    /**
     * The program assembled as {@link #start} does, not started yet (the test may take the store
     * down before the start-up check).
     */
    InMemoryStoreApplication create(Path spool, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("-addr", "127.0.0.1:0", "-metrics-addr", "", "-dir", spool.toString(),
                // A store must be chosen; the test component replaces it with the in-memory one.
                "-local-store", spool.resolveSibling("unused").toString()));
        args.addAll(List.of(flags));
        InMemoryStoreApplication app = DaggerInMemoryStoreApplication.factory()
                .create(new SettingsLoader(Map.of()).load(CommandLine.parse(args)));
        return app;
    }

    /** Stops a program before the test ends; {@link S3Logger#stop()}'s answer: whether every segment was delivered. */
    boolean stop(InMemoryStoreApplication app) throws InterruptedException {
        running.remove(app.s3logger());
        return app.s3logger().stop();
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        for (S3Logger s3logger : running) {
            s3logger.stop();
        }
        running.clear();
    }
}
