package io.s3logger.adapter.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/** What the listener's tests do with a client socket. */
final class ClientSockets {

    private ClientSockets() {}

    static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The server never writes: the client sees the end of the stream (or a reset), never a byte. */
    static void assertServerClosedWithoutWriting(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        int read;
        try {
            read = in.read();
        } catch (SocketException reset) {
            read = -1;
        }
        assertThat(read).as("byte written by the server").isEqualTo(-1);
    }
}
