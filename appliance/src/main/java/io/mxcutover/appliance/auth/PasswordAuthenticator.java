package io.mxcutover.appliance.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.dropwizard.auth.Authenticator;
import io.dropwizard.auth.basic.BasicCredentials;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Checks HTTP Basic credentials against the bcrypt hashes of the service YAML. An unknown user is checked
 * against a dummy hash made at start with the highest cost among the configured hashes, so a wrong password
 * and an unknown name take the same bcrypt work and the response time does not tell which names exist.
 * (Users whose hashes have a lower cost than the others still answer faster; {@code check} warns about mixed
 * costs.)
 */
public final class PasswordAuthenticator implements Authenticator<BasicCredentials, ApiUser> {
    /** The cost of {@link #hash}, and of the dummy hash when no user is configured. */
    public static final int COST = 12;

    private final Map<String, UserConfig> users;
    private final byte[] dummyHash;

    public PasswordAuthenticator(List<UserConfig> users) {
        this.users = users.stream().collect(Collectors.toUnmodifiableMap(u -> u.name, Function.identity()));
        this.dummyHash = BCrypt.withDefaults().hash(dummyCost(users), "no such user".toCharArray());
    }

    @Override
    public Optional<ApiUser> authenticate(BasicCredentials credentials) {
        UserConfig u = users.get(credentials.getUsername());
        byte[] hash = u == null ? dummyHash : u.passwordHash.getBytes(StandardCharsets.UTF_8);
        boolean ok = BCrypt.verifyer().verify(credentials.getPassword().toCharArray(), hash).verified;
        return ok && u != null ? Optional.of(new ApiUser(u.name, u.role)) : Optional.empty();
    }

    /** The bcrypt cost of the dummy hash: the highest among the users' hashes ({@link #COST} without users). */
    public static int dummyCost(List<UserConfig> users) {
        return users.stream().mapToInt(u -> cost(u.passwordHash)).max().orElse(COST);
    }

    /** The cost of a {@code $2a$NN$...} hash (the two digits after the version). */
    public static int cost(String bcryptHash) {
        try {
            return Integer.parseInt(bcryptHash.substring(4, 6));
        } catch (RuntimeException e) {
            return COST; // not a bcrypt hash: the YAML validation names it; verifying it fails anyway
        }
    }

    int dummyCost() {
        return cost(new String(dummyHash, StandardCharsets.UTF_8));
    }

    /** A bcrypt hash (cost {@value #COST}) for the service YAML. */
    public static String hash(char[] password) {
        return BCrypt.withDefaults().hashToString(COST, password);
    }
}
