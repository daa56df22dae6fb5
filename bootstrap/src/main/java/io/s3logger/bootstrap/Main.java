package io.s3logger.bootstrap;

import io.s3logger.adapter.tcp.TlsSetupException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the fat jar. Exit status: 0 after a clean stop, -h or -version, 1 when start-up
 * fails, 2 for bad settings (including TLS material and a {@code -metrics-addr} that cannot be bound).
 */
public final class Main {

    static final int EXIT_START_FAILED = 1;
    static final int EXIT_BAD_SETTINGS = 2;

    private Main() {}

    public static void main(String[] args) {
        S3Logger s3logger = assemble(List.of(args), System.getenv(), System.out, System.err);
        Logger log = LoggerFactory.getLogger(Main.class);
        // Installed before start so that a signal during start-up stops the program once it is up.
        CountDownLatch started = new CountDownLatch(1);
        ShutdownSignals.install(() -> {
            try {
                started.await();
                s3logger.stop();
                System.exit(0);
            } catch (InterruptedException | RuntimeException e) {
                log.error("Shutdown failed; unsent data stays in the spool", e);
                System.exit(EXIT_START_FAILED);
            }
        });
        try {
            s3logger.start();
        } catch (TlsSetupException e) {
            System.err.println("s3logger: invalid TLS setting: " + e.getMessage());
            System.exit(EXIT_BAD_SETTINGS);
        } catch (MetricsAddressException e) {
            System.err.println("s3logger: " + e.getMessage());
            System.exit(EXIT_BAD_SETTINGS);
        } catch (IOException e) {
            // Bind failures, TLS files: the message names the address or file.
            System.err.println("s3logger: cannot start: " + e.getMessage());
            System.exit(EXIT_START_FAILED);
        } catch (RuntimeException e) {
            log.error("Cannot start: {}", e.getMessage(), e);
            System.exit(EXIT_START_FAILED);
        }
        started.countDown();
    }

    /** Reads the settings and assembles the program, or exits: 0 for -h and -version, 2 for bad settings, 1 when the spool cannot be opened. */
    private static S3Logger assemble(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        Settings settings;
        try {
            CommandLine commandLine = CommandLine.parse(args);
            if (commandLine.help()) {
                out.print(Usage.text(SettingsLoader.reference()));
                System.exit(0);
            }
            if (commandLine.version()) {
                out.println("s3logger " + Version.current() + " (Java " + Runtime.version() + ")");
                System.exit(0);
            }
            settings = new SettingsLoader(env).load(commandLine);
        } catch (SettingsException e) {
            err.println("s3logger: " + e.getMessage());
            System.exit(EXIT_BAD_SETTINGS);
            throw new AssertionError("unreachable");
        }
        LogSetup.apply(settings.log());
        try {
            Application application = settings.store() instanceof Settings.LocalStore
                    ? DaggerLocalStoreApplication.factory().create(settings)
                    : DaggerS3Application.factory().create(settings);
            return application.s3logger();
        } catch (UncheckedIOException | IllegalArgumentException e) {
            Throwable reason = e instanceof UncheckedIOException ? e.getCause() : e;
            err.println("s3logger: cannot start: " + reason.getMessage());
            System.exit(EXIT_START_FAILED);
            throw new AssertionError("unreachable");
        }
    }
}
