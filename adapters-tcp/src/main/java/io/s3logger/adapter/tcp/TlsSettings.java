package io.s3logger.adapter.tcp;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS for the listener: the server's certificate and key, and optionally the CA whose certificates
 * clients must present. Only paths and passwords; files are read when the server starts.
 *
 * @param serverKey the server's certificate chain and private key
 * @param clientCaFile if present, a PEM file of one or more CA certificates; every client must then
 *     present a certificate issued by one of them, or its handshake fails
 */
public record TlsSettings(ServerKey serverKey, Optional<Path> clientCaFile) {

    public TlsSettings {
        Objects.requireNonNull(serverKey, "serverKey");
        Objects.requireNonNull(clientCaFile, "clientCaFile");
    }

    /** Where the server's certificate chain and private key come from. */
    public sealed interface ServerKey permits PemFiles, Pkcs12Keystore {}

    /**
     * PEM files, as most tools write them.
     *
     * @param certificateChainFile the server certificate first, then any intermediates
     * @param privateKeyFile a PKCS#8 key: {@code BEGIN PRIVATE KEY}, or {@code BEGIN ENCRYPTED
     *     PRIVATE KEY} together with {@code privateKeyPassword}
     * @param privateKeyPassword the password of an encrypted key
     */
    public record PemFiles(Path certificateChainFile, Path privateKeyFile, Optional<Password> privateKeyPassword)
            implements ServerKey {

        public PemFiles {
            Objects.requireNonNull(certificateChainFile, "certificateChainFile");
            Objects.requireNonNull(privateKeyFile, "privateKeyFile");
            Objects.requireNonNull(privateKeyPassword, "privateKeyPassword");
        }
    }

    /**
     * A PKCS#12 keystore ({@code .p12}/{@code .pfx}) holding exactly one private key entry with its
     * certificate chain; the same password protects the store and the key.
     */
    public record Pkcs12Keystore(Path keystoreFile, Password password) implements ServerKey {

        public Pkcs12Keystore {
            Objects.requireNonNull(keystoreFile, "keystoreFile");
            Objects.requireNonNull(password, "password");
        }
    }

    /** A password; never shown by {@link #toString()}, so settings can be logged safely. */
    public record Password(String value) {

        public Password {
            Objects.requireNonNull(value, "value");
        }

        char[] chars() {
            return value.toCharArray();
        }

        @Override
        public String toString() {
            return "Password[hidden]";
        }
    }
}
