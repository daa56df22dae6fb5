package io.s3logger.bootstrap;

import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT: the first starts a graceful stop, a second one exits at once (data stays
 * in the spool). JVM shutdown hooks cannot do the second part: once the JVM is shutting down a
 * further signal is ignored, so the handlers are installed directly.
 */
final class ShutdownSignals {

    private static final int SIGNAL_EXIT_BASE = 128;

    private ShutdownSignals() {}

    static void install(Runnable gracefulStop) {
        AtomicBoolean stopping = new AtomicBoolean();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                if (stopping.compareAndSet(false, true)) {
                    gracefulStopThread(gracefulStop).start();
                } else {
                    System.err.println("s3logger: second signal, exiting at once; unsent data stays in the spool");
                    Runtime.getRuntime().halt(SIGNAL_EXIT_BASE + signal.getNumber());
                }
            });
        }
    }

    /**
     * The thread that runs the graceful stop. Not a daemon, although handlers run on the JVM's
     * daemon signal thread, whose status a new thread inherits: a daemon here let the JVM exit
     * as soon as the last worker thread had ended, before the stop logged its outcome, released
     * the spool and chose the exit status (seen in about one benchmark run in twenty).
     */
    static Thread gracefulStopThread(Runnable gracefulStop) {
        return Thread.ofPlatform().name("shutdown").daemon(false).unstarted(gracefulStop);
    }
}
