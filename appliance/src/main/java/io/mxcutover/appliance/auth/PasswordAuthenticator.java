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
 * Checks HTTP Basic credentials against the bcrypt hashes of the service YAML. Unknown users cost the same
 * bcrypt work as known ones, so the response time does not tell which user names exist.
 */
public final class PasswordAuthenticator implements Authenticator<BasicCredentials, ApiUser> {
    private static final byte[] DUMMY_HASH =
            BCrypt.withDefaults().hash(10, "no such user".toCharArray()).clone();

    private final Map<String, UserConfig> users;

    public PasswordAuthenticator(List<UserConfig> users) {
        this.users = users.stream().collect(Collectors.toUnmodifiableMap(u -> u.name, Function.identity()));
    }

    @Override
    public Optional<ApiUser> authenticate(BasicCredentials credentials) {
        UserConfig u = users.get(credentials.getUsername());
        byte[] hash = u == null ? DUMMY_HASH : u.passwordHash.getBytes(StandardCharsets.UTF_8);
        boolean ok = BCrypt.verifyer().verify(credentials.getPassword().toCharArray(), hash).verified;
        return ok && u != null ? Optional.of(new ApiUser(u.name, u.role)) : Optional.empty();
    }

    /** A bcrypt hash (cost 12) for the service YAML. */
    public static String hash(char[] password) {
        return BCrypt.withDefaults().hashToString(12, password);
    }
}
