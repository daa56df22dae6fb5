package io.s3logger.adapter.tcp;

import io.s3logger.domain.port.in.IngestUseCase;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the listener's tests start and open: servers, client sockets and anything else to close.
 * Register it with {@code @RegisterExtension}; after each test it closes everything, newest first.
 */
final class ListenerFixture implements AfterEachCallback {

    private final Duration patience;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    /** @param patience the read timeout of the client sockets {@link #connect} opens */
    ListenerFixture(Duration patience) {
        this.patience = patience;
    }

    /** A started server, closed after the test. */
    TcpIngestServer started(TcpSettings settings, IngestUseCase ingest) throws IOException {
        TcpIngestServer server = closeAfter(new TcpIngestServer(settings, ingest));
        server.start();
        return server;
    }

    /** A plain client connected to {@code server}, every read bounded by the patience. */
    Socket connect(TcpIngestServer server) throws IOException {
        Socket socket = closeAfter(new Socket(server.boundAddress().getAddress(), server.boundAddress().getPort()));
        socket.setSoTimeout((int) patience.toMillis());
        return socket;
    }

    <T extends AutoCloseable> T closeAfter(T resource) {
        toClose.add(resource);
        return resource;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (AutoCloseable resource : toClose.reversed()) {
            resource.close();
        }
        toClose.clear();
    }
}
