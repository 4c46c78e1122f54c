package io.mxcutover.sync.credential;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts mailbox credentials at rest with AES-256-GCM (JDK only). The key is 32 random bytes,
 * Base64 encoded, read from a file (mode 0600) or an environment variable. Each sealed value
 * is {@code v1:<base64(iv || ciphertext+tag)>}, a fresh 96-bit IV per value; the mailbox
 * address is bound as additional authenticated data so a value cannot be moved to another row.
 */
public final class SecretBox {
    public static final String ENV = "MXCUTOVER_SYNC_KEY";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKeySpec key;

    private SecretBox(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException(
                    "sync credential key must be 32 bytes (Base64 of 32 random bytes), got " + key.length);
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    public static SecretBox ofBase64(String base64Key) {
        try {
            return new SecretBox(Base64.getDecoder().decode(base64Key.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sync credential key is not valid Base64 of 32 bytes", e);
        }
    }

    /** Reads the key from {@code keyFile}; creates the file with a new random key (mode 0600) if absent. */
    public static SecretBox fromKeyFile(Path keyFile) throws IOException {
        if (!Files.exists(keyFile)) {
            byte[] k = new byte[32];
            RANDOM.nextBytes(k);
            Path parent = keyFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(keyFile, Base64.getEncoder().encodeToString(k) + "\n", StandardCharsets.US_ASCII);
            try {
                Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // non-POSIX file system: the operator protects the file
            }
        }
        return ofBase64(Files.readString(keyFile, StandardCharsets.US_ASCII));
    }

    /** The key from {@link #ENV} when set, else from {@code keyFile} (created when missing). */
    public static SecretBox fromEnvOrFile(Path keyFile) throws IOException {
        String env = System.getenv(ENV);
        return env != null && !env.isBlank() ? ofBase64(env) : fromKeyFile(keyFile);
    }

    public String seal(Secret secret, String boundTo) {
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            c.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(secret.reveal().getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + ct.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(ct, 0, out, iv.length, ct.length);
            return "v1:" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "cannot encrypt a credential: " + e.getClass().getSimpleName(), e);
        }
    }

    public Secret open(String sealed, String boundTo) {
        if (sealed == null || !sealed.startsWith("v1:")) {
            throw new IllegalArgumentException("stored credential for " + boundTo + " is not in the v1 format");
        }
        try {
            byte[] in = Base64.getDecoder().decode(sealed.substring(3));
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, 12));
            c.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
            return Secret.of(new String(c.doFinal(in, 12, in.length - 12), StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "cannot decrypt the stored credential for " + boundTo + ": wrong key (check " + ENV
                            + " or the key file) or tampered row",
                    e);
        }
    }
}
