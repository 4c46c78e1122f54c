package io.mxcutover.sync.credential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Objects;

/**
 * A Google service account's JSON key ({@code "type": "service_account"}): its e-mail address (the JWT's issuer),
 * its RSA private key (PKCS#8 PEM) and the token endpoint ({@code token_uri}). Its {@code toString} names the
 * account only.
 */
public record ServiceAccountKey(String clientEmail, PrivateKey privateKey, URI tokenUri) {
    public ServiceAccountKey {
        Objects.requireNonNull(clientEmail, "client_email");
        Objects.requireNonNull(privateKey, "private_key");
        Objects.requireNonNull(tokenUri, "token_uri");
    }

    /** Reads a key file; the problems name the file and the field, never the key. */
    public static ServiceAccountKey read(Path file) throws IOException {
        JsonNode json = new ObjectMapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
        String email = json.path("client_email").asText("");
        String pem = json.path("private_key").asText("");
        String tokenUri = json.path("token_uri").asText("https://oauth2.googleapis.com/token");
        if (!json.path("type").asText("").equals("service_account") || email.isEmpty() || pem.isEmpty()) {
            throw new IOException(file + " is not a service account key (type service_account, client_email and"
                    + " private_key are needed)");
        }
        try {
            String base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "")
                    .replace("-----END PRIVATE KEY-----", "")
                    .replaceAll("\\s+", "");
            PrivateKey key = KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            return new ServiceAccountKey(email, key, URI.create(tokenUri));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(file + ": private_key is not an RSA key in PKCS#8 PEM", null);
        }
    }

    @Override
    public String toString() {
        return "service account " + clientEmail;
    }
}
