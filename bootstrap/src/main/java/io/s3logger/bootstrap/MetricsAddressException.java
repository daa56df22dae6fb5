package io.s3logger.bootstrap;

import java.io.IOException;

/**
 * The {@code -metrics-addr} cannot be bound. A setting to fix, like a bad flag: the program refuses
 * to start rather than run without its health checks while another process answers them.
 */
final class MetricsAddressException extends IOException {

    MetricsAddressException(String hostPort, IOException cause) {
        super("cannot listen on -metrics-addr " + hostPort + ": " + cause.getMessage(), cause);
    }
}
