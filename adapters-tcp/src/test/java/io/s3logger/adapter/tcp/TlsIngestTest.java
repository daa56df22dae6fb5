package io.s3logger.adapter.tcp;

import static io.s3logger.adapter.tcp.ClientSockets.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.s3logger.adapter.tcp.TlsSettings.Password;
import io.s3logger.adapter.tcp.TlsSettings.PemFiles;
import io.s3logger.adapter.tcp.TlsSettings.Pkcs12Keystore;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/** TLS with real clients and key material generated at test time. */
class TlsIngestTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    private static TestCertificates certificates;

    @RegisterExtension
    final ListenerFixture fixture = new ListenerFixture(PATIENCE);

    @BeforeAll
    static void createCertificates() throws Exception {
        certificates = TestCertificates.createIn(dir);
    }

    private static Pkcs12Keystore pkcs12(String password) {
        return new Pkcs12Keystore(certificates.serverP12, new Password(password));
    }

    private TcpIngestServer started(TlsSettings tls, CollectingIngest ingest) throws IOException {
        return fixture.started(new TcpSettings("127.0.0.1", 0, 0, Optional.empty(), Optional.of(tls)), ingest);
    }

    private SSLSocket tlsClient(TcpIngestServer server, boolean withCertificate) throws Exception {
        SSLSocket socket = (SSLSocket) certificates.clientContext(withCertificate).getSocketFactory()
                .createSocket(server.boundAddress().getAddress(), server.boundAddress().getPort());
        socket.setSoTimeout((int) PATIENCE.toMillis());
        fixture.closeAfter(socket);
        return socket;
    }

    @Test
    void pkcs12KeystoreWithRequiredClientCertificate() throws Exception {
        CollectingIngest ingest = CollectingIngest.accepting();
        TcpIngestServer server = started(new TlsSettings(pkcs12(TestCertificates.SERVER_PASSWORD), Optional.of(certificates.clientCaPem)), ingest);
        try (SSLSocket client = tlsClient(server, true)) {
            client.startHandshake();
            assertThat(client.getSession().getPeerPrincipal().getName()).isEqualTo("CN=localhost");
            send(client, "{ \"tls\" : 1 }\n{\"tls\":2}");
        }
        await().atMost(PATIENCE).until(() -> ingest.lines().size() == 2);
        assertThat(ingest.lines()).containsExactly("{\"tls\":1}", "{\"tls\":2}");
        assertThat(server.listenerStatus().tlsHandshakesFailed()).isZero();
    }

    @Test
    void pemCertificateWithPlainAndWithEncryptedKey() throws Exception {
        CollectingIngest ingest = CollectingIngest.accepting();
        TcpIngestServer plainKey = started(new TlsSettings(
                new PemFiles(certificates.serverChainPem, certificates.serverKeyPem, Optional.empty()), Optional.empty()), ingest);
        TcpIngestServer encryptedKey = started(new TlsSettings(new PemFiles(certificates.serverChainPem, certificates.serverEncryptedKeyPem,
                Optional.of(new Password(TestCertificates.PEM_KEY_PASSWORD))), Optional.empty()), ingest);
        try (SSLSocket a = tlsClient(plainKey, false); SSLSocket b = tlsClient(encryptedKey, false)) {
            send(a, "{\"pem\":\"plain\"}");
            send(b, "{\"pem\":\"encrypted\"}");
        }
        await().atMost(PATIENCE).until(() -> ingest.lines().size() == 2);
        assertThat(ingest.lines()).containsExactlyInAnyOrder("{\"pem\":\"plain\"}", "{\"pem\":\"encrypted\"}");
    }

    @Test
    void clientWithoutCertificateIsRefusedWhenOneIsRequiredAndItsDataIsNotStored() throws Exception {
        CollectingIngest ingest = CollectingIngest.accepting();
        TcpIngestServer server = started(new TlsSettings(pkcs12(TestCertificates.SERVER_PASSWORD), Optional.of(certificates.clientCaPem)), ingest);
        try (SSLSocket client = tlsClient(server, false)) {
            // With TLS 1.3 the client may finish its side first; either the handshake, the write or the read fails.
            Throwable failure = catchThrowableOfType(IOException.class, () -> {
                send(client, "{\"anonymous\":1}\n");
                client.getInputStream().read();
            });
            assertThat(failure).isNotNull();
        }
        await().atMost(PATIENCE).until(() -> server.listenerStatus().tlsHandshakesFailed() == 1);
        await().atMost(PATIENCE).until(() -> server.listenerStatus().closes().total() == 1);
        assertThat(ingest.lines()).isEmpty();
        assertThat(server.listenerStatus().bytesReceived()).isZero();
    }

    @Test
    void plaintextOnTheTlsPortIsRejectedWithoutAffectingATlsClient() throws Exception {
        CollectingIngest ingest = CollectingIngest.accepting();
        TcpIngestServer server = started(new TlsSettings(pkcs12(TestCertificates.SERVER_PASSWORD), Optional.empty()), ingest);
        SSLSocket good = tlsClient(server, false);
        send(good, "{\"good\":1}\n{\"good\":");
        try (Socket plain = new Socket(server.boundAddress().getAddress(), server.boundAddress().getPort())) {
            plain.setSoTimeout((int) PATIENCE.toMillis());
            send(plain, "{\"plain\":1}\n{\"plain\":2}\n");
            await().atMost(PATIENCE).until(() -> server.listenerStatus().tlsHandshakesFailed() == 1);
        }
        send(good, "2}\n");
        good.close();
        await().atMost(PATIENCE).until(() -> ingest.lines().size() == 2);
        assertThat(ingest.lines()).containsExactly("{\"good\":1}", "{\"good\":2}");
    }

    @Test
    void wrongKeystorePasswordFailsStartNamingTheFileButNotThePassword() {
        String wrong = "wrong-Password-55e1";
        TcpIngestServer server = new TcpIngestServer(new TcpSettings("127.0.0.1", 0, 0, Optional.empty(),
                Optional.of(new TlsSettings(pkcs12(wrong), Optional.empty()))), CollectingIngest.accepting());
        fixture.closeAfter(server);
        TlsSetupException e = catchThrowableOfType(TlsSetupException.class, server::start);
        assertThat(e).hasMessageContaining(certificates.serverP12.toString()).hasMessageContaining("password");
        assertThat(e.file()).isEqualTo(certificates.serverP12);
        assertNoPasswordIn(e, wrong);
        assertThatThrownBy(server::boundAddress).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void wrongPemKeyPasswordAndMissingOrBadFilesFailStartNamingTheFile() throws Exception {
        String wrong = "wrong-Password-pem";
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a pem file\n");
        Path missing = dir.resolve("missing.pem");
        List<TlsFailure> failures = List.of(
                new TlsFailure(new PemFiles(certificates.serverChainPem, certificates.serverEncryptedKeyPem, Optional.of(new Password(wrong))),
                        Optional.empty(), certificates.serverEncryptedKeyPem),
                new TlsFailure(new PemFiles(certificates.serverChainPem, certificates.serverEncryptedKeyPem, Optional.empty()),
                        Optional.empty(), certificates.serverEncryptedKeyPem),
                new TlsFailure(new PemFiles(missing, certificates.serverKeyPem, Optional.empty()), Optional.empty(), missing),
                new TlsFailure(new PemFiles(certificates.serverChainPem, garbage, Optional.empty()), Optional.empty(), garbage),
                new TlsFailure(new PemFiles(garbage, certificates.serverKeyPem, Optional.empty()), Optional.empty(), garbage),
                new TlsFailure(new PemFiles(certificates.clientCaPem, certificates.serverKeyPem, Optional.empty()), Optional.empty(),
                        certificates.serverKeyPem),
                new TlsFailure(pkcs12(TestCertificates.SERVER_PASSWORD), Optional.of(garbage), garbage));
        for (TlsFailure failure : failures) {
            TcpIngestServer server = new TcpIngestServer(new TcpSettings("127.0.0.1", 0, 0, Optional.empty(),
                    Optional.of(new TlsSettings(failure.key(), failure.clientCa()))), CollectingIngest.accepting());
            fixture.closeAfter(server);
            TlsSetupException e = catchThrowableOfType(TlsSetupException.class, server::start);
            assertThat(e).as(failure.toString()).isNotNull();
            assertThat(e.getMessage()).as(failure.toString()).startsWith(failure.file() + ": ").doesNotContain("\n");
            assertNoPasswordIn(e, wrong);
            assertNoPasswordIn(e, TestCertificates.SERVER_PASSWORD);
        }
    }

    @Test
    void passwordsAreNotShownBySettings() {
        TlsSettings settings = new TlsSettings(pkcs12(TestCertificates.SERVER_PASSWORD), Optional.empty());
        TcpSettings tcp = new TcpSettings("localhost", 1, 1, Optional.empty(), Optional.of(settings));
        assertThat(tcp.toString()).contains("server.p12").doesNotContain(TestCertificates.SERVER_PASSWORD);
        assertThat(new Password("abc")).isEqualTo(new Password("abc")).hasToString("Password[hidden]");
        assertThatThrownBy(() -> new TlsSettings(null, Optional.empty())).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new PemFiles(certificates.serverChainPem, null, Optional.empty())).isInstanceOf(NullPointerException.class);
    }

    private record TlsFailure(TlsSettings.ServerKey key, Optional<Path> clientCa, Path file) {}

    private static void assertNoPasswordIn(Throwable e, String password) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(password);
        }
    }
}
