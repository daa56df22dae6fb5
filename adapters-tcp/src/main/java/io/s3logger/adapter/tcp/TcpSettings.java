package io.s3logger.adapter.tcp;

import java.util.Objects;

/**
 * Where the TCP listener binds.
 *
 * @param host a host name or IP literal, e.g. {@code localhost}, {@code 0.0.0.0}, {@code ::1}
 * @param port 0 to 65535; 0 picks a free port (see {@link TcpIngestServer#boundAddress()})
 */
public record TcpSettings(String host, int port) {

    public TcpSettings {
        Objects.requireNonNull(host, "host");
        if (host.isBlank() || !host.strip().equals(host)) {
            throw new IllegalArgumentException("host must be a non-blank name or address without spaces: '" + host + "'");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
    }
}
