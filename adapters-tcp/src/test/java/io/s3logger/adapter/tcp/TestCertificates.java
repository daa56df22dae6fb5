package io.s3logger.adapter.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Test key material made at test time with the JDK's own {@code keytool} (so it runs wherever the
 * JDK runs): a self-signed server certificate and a self-signed client certificate, which also
 * serves as the client CA. Written as PKCS#12 and as PEM (plain and encrypted PKCS#8).
 */
final class TestCertificates {

    static final String SERVER_PASSWORD = "server-Secret-7f3a";
    static final String CLIENT_PASSWORD = "client-Secret-91c2";
    static final String PEM_KEY_PASSWORD = "pem-Secret-4d10";

    final Path serverP12;
    final Path serverChainPem;
    final Path serverKeyPem;
    final Path serverEncryptedKeyPem;
    final Path clientP12;
    final Path clientCaPem;

    private TestCertificates(Path dir) {
        serverP12 = dir.resolve("server.p12");
        serverChainPem = dir.resolve("server-chain.pem");
        serverKeyPem = dir.resolve("server-key.pem");
        serverEncryptedKeyPem = dir.resolve("server-key-encrypted.pem");
        clientP12 = dir.resolve("client.p12");
        clientCaPem = dir.resolve("client-ca.pem");
    }

    static TestCertificates createIn(Path dir) throws IOException, InterruptedException, GeneralSecurityException {
        TestCertificates c = new TestCertificates(dir);
        List<Process> keytools = List.of(
                keytool(c.serverP12, "server", "CN=localhost", SERVER_PASSWORD, "SAN=dns:localhost,ip:127.0.0.1"),
                keytool(c.clientP12, "client", "CN=test client", CLIENT_PASSWORD, "KU=digitalSignature"));
        for (Process keytool : keytools) {
            if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                throw new IOException("keytool failed: " + new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        KeyStore server = load(c.serverP12, SERVER_PASSWORD);
        Files.writeString(c.serverChainPem, pem("CERTIFICATE", server.getCertificateChain("server")));
        Key key = server.getKey("server", SERVER_PASSWORD.toCharArray());
        Files.writeString(c.serverKeyPem, pem("PRIVATE KEY", key.getEncoded()));
        Files.writeString(c.serverEncryptedKeyPem, pem("ENCRYPTED PRIVATE KEY", encrypt(key.getEncoded(), PEM_KEY_PASSWORD)));
        KeyStore client = load(c.clientP12, CLIENT_PASSWORD);
        Files.writeString(c.clientCaPem, pem("CERTIFICATE", client.getCertificateChain("client")));
        return c;
    }

    /** A client context that trusts the server certificate and presents the client one if asked to. */
    SSLContext clientContext(boolean withCertificate) throws GeneralSecurityException, IOException {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", load(serverP12, SERVER_PASSWORD).getCertificate("server"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(clientP12, CLIENT_PASSWORD), CLIENT_PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(withCertificate ? kmf.getKeyManagers() : null, tmf.getTrustManagers(), null);
        return context;
    }

    private static Process keytool(Path store, String alias, String dname, String password, String extension) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        return new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", dname, "-ext", extension, "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", password, "-keypass", password, "-J-XX:TieredStopAtLevel=1", "-J-Xshare:auto")
                .redirectErrorStream(true)
                .start();
    }

    private static KeyStore load(Path file, String password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }

    private static byte[] encrypt(byte[] pkcs8, String password) throws GeneralSecurityException, IOException {
        String algorithm = "PBEWithHmacSHA256AndAES_256";
        SecureRandom random = new SecureRandom();
        byte[] salt = new byte[16];
        byte[] iv = new byte[16];
        random.nextBytes(salt);
        random.nextBytes(iv);
        Cipher cipher = Cipher.getInstance(algorithm);
        cipher.init(Cipher.ENCRYPT_MODE, SecretKeyFactory.getInstance(algorithm).generateSecret(new PBEKeySpec(password.toCharArray())),
                new PBEParameterSpec(salt, 10_000, new IvParameterSpec(iv)));
        byte[] encrypted = cipher.doFinal(pkcs8);
        // The same parameters under the generic name, which EncryptedPrivateKeyInfo can encode, as openssl writes them.
        AlgorithmParameters pbes2 = AlgorithmParameters.getInstance("PBES2");
        pbes2.init(cipher.getParameters().getEncoded());
        return new EncryptedPrivateKeyInfo(pbes2, encrypted).getEncoded();
    }

    private static String pem(String label, Certificate[] chain) throws GeneralSecurityException {
        StringBuilder out = new StringBuilder();
        for (Certificate certificate : chain) {
            out.append(pem(label, certificate.getEncoded()));
        }
        return out.toString();
    }

    private static String pem(String label, byte[] der) {
        List<String> lines = new ArrayList<>();
        lines.add("-----BEGIN " + label + "-----");
        lines.add(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der));
        lines.add("-----END " + label + "-----");
        return String.join("\n", lines) + "\n";
    }
}
