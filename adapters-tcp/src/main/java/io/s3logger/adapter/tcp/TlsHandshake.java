package io.s3logger.adapter.tcp;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's side of the TLS handshake on an accepted connection, with the context {@link
 * TlsContextLoader} built: client certificates are required if the settings name a client CA, and
 * a client that sends nothing for the idle timeout is closed as idle.
 */
final class TlsHandshake {

    /** The listener's logger: its lines keep the logger name that operators' filters know. */
    private static final Logger log = LoggerFactory.getLogger(TcpIngestServer.class);

    private final SSLSocketFactory tlsSockets;
    private final TcpSettings settings;
    private final TcpIngestStats stats;

    /** @param settings the listener's settings, with TLS present */
    TlsHandshake(SSLSocketFactory tlsSockets, TcpSettings settings, TcpIngestStats stats) {
        this.tlsSockets = tlsSockets;
        this.settings = settings;
        this.stats = stats;
    }

    /**
     * Wraps an accepted socket in TLS and completes the handshake.
     *
     * @param stopping true once the listener has closed the socket to shut down
     * @return the TLS socket, or null if the handshake failed (counted, one WARN line)
     * @throws SocketTimeoutException if the client sent nothing for the idle timeout: close it as idle
     * @throws IOException if the handshake failed because the listener is shutting down
     */
    SSLSocket perform(Socket socket, SocketAddress remote, BooleanSupplier stopping) throws IOException {
        SSLSocket tls = (SSLSocket) tlsSockets.createSocket(socket, null, true);
        tls.setNeedClientAuth(settings.tls().orElseThrow().clientCaFile().isPresent());
        // A client may legitimately connect long before its first write (handshakes are lazy).
        tls.setSoTimeout(settings.idleTimeout().map(timeout -> ClientConnection.timeoutMillis(timeout.toNanos())).orElse(0));
        try {
            tls.startHandshake();
            return tls;
        } catch (IOException e) {
            if (e instanceof SocketTimeoutException || stopping.getAsBoolean()) {
                throw e;
            }
            stats.tlsHandshakeFailed();
            log.warn("Closing connection from {}: TLS handshake failed: {}", remote, e.getMessage());
        }
        return null;
    }
}
