package io.mxcutover.appliance.auth;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts {@link LoginThrottle} in front of every login: HTTP Basic on the API and admin ports, and the
 * console's form ({@code POST /api/v1/session}). A request that carries credentials from a locked-out
 * address gets {@code 429} with {@code Retry-After} and is not checked at all (no bcrypt work, no
 * answer about the password); a {@code 401} to credentials counts as a failure, a success clears them.
 * Requests without credentials (a page asking who is logged in) count for nothing. Each failure is
 * logged with the address and the user name tried, never the password.
 */
public final class LoginThrottleFilter implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(LoginThrottleFilter.class);

    private final LoginThrottle throttle;
    private final String port;

    /** {@code port} names the port in the log ("api", "admin"). */
    public LoginThrottleFilter(LoginThrottle throttle, String port) {
        this.throttle = throttle;
        this.port = port;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse res = (HttpServletResponse) response;
        Optional<String> user = attemptedUser(req);
        if (user.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        String client = req.getRemoteAddr();
        Optional<Duration> locked = throttle.lockedFor(client);
        if (locked.isPresent()) {
            long seconds = Math.max(1, locked.get().toSeconds() + (locked.get().toNanosPart() > 0 ? 1 : 0));
            LOG.info(
                    "login refused without checking: {} is locked out for {} s more (user {}, {} port)",
                    client,
                    seconds,
                    user.get(),
                    port);
            res.setStatus(429);
            res.setHeader("Retry-After", Long.toString(seconds));
            res.setContentType("application/json");
            res.setCharacterEncoding("UTF-8");
            res.getWriter()
                    .write("{\"message\":\"too many failed logins from your address; try again in " + seconds
                            + " s\",\"details\":[]}");
            return;
        }
        chain.doFilter(request, response);
        int status = res.getStatus();
        if (status == 401) {
            LoginThrottle.Verdict v = throttle.failed(client);
            LoginThrottle.Rule rule = throttle.rule();
            LOG.warn(
                    "failed login from {} as user {} on the {} port ({} of {} within {})",
                    client,
                    user.get(),
                    port,
                    v.failures(),
                    rule.maxFailures(),
                    rule.window());
            v.lockedUntil()
                    .ifPresent(until -> LOG.warn(
                            "{} locked out until {} after {} failed logins within {}",
                            client,
                            until,
                            v.failures(),
                            rule.window()));
        } else if (status < 400) {
            throttle.succeeded(client);
        }
    }

    /**
     * The user name a request tries to log in as: from its Basic header, or "(console form)" for the
     * console's login; empty for a request without credentials. Only a printable name is shown.
     */
    static Optional<String> attemptedUser(HttpServletRequest req) {
        String header = req.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            String name = "(unreadable)";
            try {
                String decoded = new String(
                        Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                String candidate = colon < 0 ? "" : decoded.substring(0, colon);
                if (candidate.matches("[A-Za-z0-9._@-]{1,64}")) {
                    name = "'" + candidate + "'";
                }
            } catch (IllegalArgumentException e) {
                // not Base64: still a failed attempt, shown as unreadable
            }
            return Optional.of(name);
        }
        if ("POST".equalsIgnoreCase(req.getMethod())
                && req.getRequestURI() != null
                && req.getRequestURI().endsWith("/v1/session")) {
            return Optional.of("(console form)");
        }
        return Optional.empty();
    }
}
