package io.s3logger.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ShutdownSignalsTest {

    @Test
    void theGracefulStopKeepsTheJvmAliveEvenWhenStartedFromADaemonThread() throws InterruptedException {
        // Signal handlers run on the JVM's daemon "Signal Dispatcher" thread.
        AtomicReference<Thread> stop = new AtomicReference<>();
        Thread signalThread = Thread.ofPlatform().daemon(true)
                .start(() -> stop.set(ShutdownSignals.gracefulStopThread(() -> {})));
        signalThread.join();

        assertThat(stop.get().isDaemon()).as("daemon").isFalse();
        assertThat(stop.get().getName()).isEqualTo("shutdown");
    }
}
