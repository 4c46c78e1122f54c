package io.mxcutover.relay.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Self-signed test certificates: a PKCS12 keystore made by the JDK's own {@code keytool} (the
 * way an admin would make one), and SSL contexts for test servers and for clients that trust
 * anything (loopback tests only).
 */
public final class TestCertificates {

    public static final String PASSWORD = "changeit-test";

    private TestCertificates() {}

    /** Writes {@code dir/<name>.p12} with an EC key and a self-signed certificate for {@code cn}. */
    public static Path keystore(Path dir, String name, String cn) throws IOException, InterruptedException {
        return keystore(dir, name, cn, "EC");
    }

    /** As {@link #keystore(Path, String, String)} with an {@code EC} (P-256) or {@code RSA} (2048 bit) key. */
    public static Path keystore(Path dir, String name, String cn, String keyAlgorithm)
            throws IOException, InterruptedException {
        Path file = dir.resolve(name + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(List.of(
                        keytool.toString(),
                        "-genkeypair",
                        "-alias",
                        name,
                        "-keyalg",
                        keyAlgorithm,
                        keyAlgorithm.equals("RSA") ? "-keysize" : "-groupname",
                        keyAlgorithm.equals("RSA") ? "2048" : "secp256r1",
                        "-dname",
                        "CN=" + cn,
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        file.toString(),
                        "-storepass",
                        PASSWORD,
                        "-keypass",
                        PASSWORD))
                .redirectErrorStream(true)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("keytool failed: " + new String(out, java.nio.charset.StandardCharsets.UTF_8));
        }
        return file;
    }

    /** A server-side context from a keystore made by {@link #keystore}. */
    public static SSLContext serverContext(Path keystore) throws IOException, GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(keyManagers(keystore), null, null);
        return ctx;
    }

    /** The key managers of a keystore made by {@link #keystore}. */
    public static KeyManager[] keyManagers(Path keystore) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        return kmf.getKeyManagers();
    }

    /** A client context that accepts any certificate. */
    public static SSLContext trustingClient() throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(
                null,
                new TrustManager[] {
                    new X509TrustManager() {
                        @Override
                        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                        @Override
                        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                        @Override
                        public X509Certificate[] getAcceptedIssuers() {
                            return new X509Certificate[0];
                        }
                    }
                },
                null);
        return ctx;
    }
}
