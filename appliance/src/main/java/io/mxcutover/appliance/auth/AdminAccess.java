package io.mxcutover.appliance.auth;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Who may use what on Dropwizard's admin port: the same users and roles as the REST API. Reading health
 * checks, metrics and the thread dump needs an operator; tasks ({@code /tasks/*}: log levels, GC, anything
 * added later) and every other path or method need an admin; only {@code GET /ping} ("pong", for liveness
 * probes) is open. Unknown paths need an admin, so a servlet added later is closed until listed here.
 */
public final class AdminAccess {
    private static final Set<String> OPERATOR_READS = Set.of("/", "/healthcheck", "/metrics", "/threads");

    private AdminAccess() {}

    /**
     * The role a request needs; empty when it needs no credentials. {@code path} is the decoded, normalised
     * path inside the admin context (servlet path + path info), never the raw request URI.
     */
    public static Optional<Role> required(String method, String path) {
        String m = method == null ? "" : method.toUpperCase(Locale.ROOT);
        String p = path == null || path.isEmpty() ? "/" : path;
        boolean read = m.equals("GET") || m.equals("HEAD");
        if (read && p.equals("/ping")) {
            return Optional.empty();
        }
        if (read && OPERATOR_READS.contains(p)) {
            return Optional.of(Role.OPERATOR);
        }
        return Optional.of(Role.ADMIN);
    }
}
