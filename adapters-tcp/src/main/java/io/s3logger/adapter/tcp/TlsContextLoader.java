package io.s3logger.adapter.tcp;

import io.s3logger.adapter.tcp.TlsSettings.PemFiles;
import io.s3logger.adapter.tcp.TlsSettings.Pkcs12Keystore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the listener's {@link SSLContext} from {@link TlsSettings} with the JDK alone. Every
 * failure is a {@link TlsSetupException} naming the file; passwords never enter a message.
 */
final class TlsContextLoader {

    private static final String KEY_ALIAS = "server";
    private static final String PLAIN_KEY = "PRIVATE KEY";
    private static final String ENCRYPTED_KEY = "ENCRYPTED PRIVATE KEY";
    /** PKCS#8 carries the algorithm, but KeyFactory needs its name: try those TLS servers use. */
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

    private TlsContextLoader() {}

    static SSLContext load(TlsSettings settings) throws TlsSetupException {
        KeyStore keys;
        char[] keyPassword;
        Path keyFile;
        switch (settings.serverKey()) {
            case PemFiles pem -> {
                keys = pemKeyStore(pem);
                keyPassword = new char[0];
                keyFile = pem.privateKeyFile();
            }
            case Pkcs12Keystore p12 -> {
                keys = pkcs12(p12);
                keyPassword = p12.password().chars();
                keyFile = p12.keystoreFile();
            }
        }
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, keyPassword);
            TrustManagerFactory tmf = null;
            if (settings.clientCaFile().isPresent()) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(clientCas(settings.clientCaFile().get()));
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return context;
        } catch (UnrecoverableKeyException e) {
            throw new TlsSetupException(keyFile, "the private key cannot be recovered (wrong password?)", e);
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException(keyFile, "cannot set up TLS with this key: " + e.getMessage(), e);
        }
    }

    private static KeyStore pkcs12(Pkcs12Keystore settings) throws TlsSetupException {
        Path file = settings.keystoreFile();
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, settings.password().chars());
            long keyEntries = Collections.list(store.aliases()).stream().filter(alias -> isKeyEntry(store, alias)).count();
            if (keyEntries != 1) {
                throw new TlsSetupException(file, "a PKCS#12 keystore with exactly one private key entry is needed, found " + keyEntries, null);
            }
            return store;
        } catch (IOException e) {
            // KeyStore.load reports a wrong password as an IOException caused by UnrecoverableKeyException.
            String problem = e.getCause() instanceof UnrecoverableKeyException
                    ? "wrong keystore password"
                    : "cannot read a PKCS#12 keystore: " + e.getMessage();
            throw new TlsSetupException(file, problem, e);
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException(file, "cannot read a PKCS#12 keystore: " + e.getMessage(), e);
        }
    }

    private static boolean isKeyEntry(KeyStore store, String alias) {
        try {
            return store.isKeyEntry(alias);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static KeyStore pemKeyStore(PemFiles settings) throws TlsSetupException {
        List<? extends Certificate> chain = certificates(settings.certificateChainFile());
        PrivateKey key = privateKey(settings);
        if (!matches(key, chain.getFirst())) {
            throw new TlsSetupException(settings.privateKeyFile(), "the private key does not belong to the first certificate in "
                    + settings.certificateChainFile(), null);
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(KEY_ALIAS, key, new char[0], chain.toArray(Certificate[]::new));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsSetupException(settings.privateKeyFile(), "the key does not match the certificate chain in "
                    + settings.certificateChainFile() + ": " + e.getMessage(), e);
        }
    }

    /** Signs with the key and verifies with the certificate; JSSE itself would only fail at the first handshake. */
    private static boolean matches(PrivateKey key, Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) {
            return true; // cannot check cheaply (e.g. RSASSA-PSS parameters); the handshake will tell
        }
        try {
            byte[] probe = "s3logger key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static KeyStore clientCas(Path file) throws TlsSetupException {
        List<? extends Certificate> cas = certificates(file);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("ca-" + i, cas.get(i));
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsSetupException(file, "cannot use these CA certificates: " + e.getMessage(), e);
        }
    }

    private static List<? extends Certificate> certificates(Path file) throws TlsSetupException {
        try (InputStream in = Files.newInputStream(file)) {
            List<? extends Certificate> certificates = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
            if (certificates.isEmpty()) {
                throw new TlsSetupException(file, "no PEM certificate (BEGIN CERTIFICATE) found", null);
            }
            return certificates;
        } catch (IOException e) {
            throw new TlsSetupException(file, "cannot read: " + e, e);
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException(file, "not a PEM certificate file: " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(PemFiles settings) throws TlsSetupException {
        Path file = settings.privateKeyFile();
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new TlsSetupException(file, "cannot read: " + e, e);
        }
        byte[] der;
        if (pem.contains("-----BEGIN " + ENCRYPTED_KEY + "-----")) {
            if (settings.privateKeyPassword().isEmpty()) {
                throw new TlsSetupException(file, "the private key is encrypted but no password is configured", null);
            }
            der = decrypt(file, pemBody(file, pem, ENCRYPTED_KEY), settings.privateKeyPassword().get());
        } else if (pem.contains("-----BEGIN " + PLAIN_KEY + "-----")) {
            der = pemBody(file, pem, PLAIN_KEY);
        } else {
            throw new TlsSetupException(file, "no PKCS#8 key found (BEGIN PRIVATE KEY or BEGIN ENCRYPTED PRIVATE KEY);"
                    + " convert other formats with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8", null);
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // not this algorithm; try the next
            }
        }
        throw new TlsSetupException(file, "unsupported or corrupt private key (known: " + KEY_ALGORITHMS + ")", null);
    }

    private static byte[] decrypt(Path file, byte[] der, TlsSettings.Password password) throws TlsSetupException {
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            String algorithm = info.getAlgParameters() != null ? info.getAlgParameters().toString() : info.getAlgName();
            SecretKeyFactory factory = SecretKeyFactory.getInstance(algorithm);
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(new PBEKeySpec(password.chars())), info.getAlgParameters());
            return info.getKeySpec(cipher).getEncoded();
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsSetupException(file, "cannot decrypt the private key (wrong password or unsupported encryption): "
                    + e.getClass().getSimpleName(), e);
        }
    }

    private static byte[] pemBody(Path file, String pem, String label) throws TlsSetupException {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end, from);
        if (to < 0) {
            throw new TlsSetupException(file, "missing " + end, null);
        }
        try {
            return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new TlsSetupException(file, "corrupt base64 in the PEM block", e);
        }
    }
}
