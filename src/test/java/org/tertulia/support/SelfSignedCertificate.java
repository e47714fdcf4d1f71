package org.tertulia.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate made at run time with the JDK's own {@code keytool} (no openssl: a
 * fresh CI machine may lack it), written as the two PEM files Spring Boot's SSL bundles read:
 * {@code cert.pem} (the certificate) and {@code key.pem} (its private key, PKCS#8).
 */
public final class SelfSignedCertificate {

    private static final String ALIAS = "web";
    private static final char[] STORE_PASSWORD = "throwaway".toCharArray();

    private final Path certificatePem;
    private final Path privateKeyPem;
    private final X509Certificate certificate;

    private SelfSignedCertificate(Path certificatePem, Path privateKeyPem, X509Certificate certificate) {
        this.certificatePem = certificatePem;
        this.privateKeyPem = privateKeyPem;
        this.certificate = certificate;
    }

    /**
     * A certificate for {@code CN=localhost} with these subject alternative names, in keytool's
     * syntax ({@code dns:localhost}, {@code ip:127.0.0.1}), written to a new temporary folder
     * that is deleted when the JVM exits.
     */
    public static SelfSignedCertificate create(String... subjectAlternativeNames) {
        try {
            Path dir = Files.createTempDirectory("tertulia-tls-");
            dir.toFile().deleteOnExit();
            return create(dir, subjectAlternativeNames);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As {@link #create(String...)}, into {@code dir} (replacing its cert.pem and key.pem). */
    public static SelfSignedCertificate create(Path dir, String... subjectAlternativeNames) {
        Path keystore = dir.resolve("keypair-" + System.nanoTime() + ".p12");
        try {
            keytool(keystore, subjectAlternativeNames);
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                store.load(in, STORE_PASSWORD);
            }
            X509Certificate certificate = (X509Certificate) store.getCertificate(ALIAS);
            PrivateKey key = (PrivateKey) store.getKey(ALIAS, STORE_PASSWORD);
            if (!"PKCS#8".equals(key.getFormat())) {
                throw new IllegalStateException("keytool gave a " + key.getFormat() + " key, not PKCS#8");
            }
            Path cert = dir.resolve("cert.pem");
            Path pkcs8 = dir.resolve("key.pem");
            // The key first: a watcher that reloads between the two writes then sees the old
            // certificate with the new key, and reloads again once the certificate follows.
            writePem(pkcs8, "PRIVATE KEY", key.getEncoded());
            writePem(cert, "CERTIFICATE", certificate.getEncoded());
            return new SelfSignedCertificate(cert, pkcs8, certificate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } finally {
            try {
                Files.deleteIfExists(keystore);
            } catch (IOException e) {
                // Left in a temporary folder deleted at exit anyway.
            }
        }
    }

    private static void keytool(Path keystore, String... subjectAlternativeNames) throws IOException {
        // The keytool of the JDK running the tests, not whatever is first on the PATH.
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new ArrayList<>(List.of(keytool.toString(), "-genkeypair", "-noprompt",
                "-alias", ALIAS, "-keyalg", "EC", "-keysize", "256", "-sigalg", "SHA256withECDSA",
                "-dname", "CN=localhost", "-validity", "7",
                "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", new String(STORE_PASSWORD), "-keypass", new String(STORE_PASSWORD)));
        if (subjectAlternativeNames.length > 0) {
            command.addAll(List.of("-ext", "SAN=" + String.join(",", subjectAlternativeNames)));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool failed: " + command + "\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void writePem(Path file, String type, byte[] der) throws IOException {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n",
                StandardCharsets.US_ASCII);
        file.toFile().deleteOnExit();
    }

    public Path certificatePem() {
        return certificatePem;
    }

    public Path privateKeyPem() {
        return privateKeyPem;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * Base64 of the SHA-256 of the certificate's SubjectPublicKeyInfo: what Chromium's
     * {@code --ignore-certificate-errors-spki-list} takes to trust this one key.
     */
    public String spkiSha256() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
            return Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The settings that make the server use this certificate through the SSL bundle {@code bundle}:
     * {@code server.ssl.bundle} and the bundle's PEM key store, as {@code file:} locations.
     */
    public Map<String, String> serverProperties(String bundle) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("server.ssl.bundle", bundle);
        properties.put("spring.ssl.bundle.pem." + bundle + ".keystore.certificate", "file:" + certificatePem.toAbsolutePath());
        properties.put("spring.ssl.bundle.pem." + bundle + ".keystore.private-key", "file:" + privateKeyPem.toAbsolutePath());
        return properties;
    }

    /** A TLS context that trusts this certificate and nothing else. */
    public SSLContext trustingOnlyThis() {
        return trusting(this);
    }

    /** A TLS context that trusts these certificates and nothing else. */
    public static SSLContext trusting(SelfSignedCertificate... certificates) {
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            for (int i = 0; i < certificates.length; i++) {
                trusted.setCertificateEntry("trusted-" + i, certificates[i].certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
