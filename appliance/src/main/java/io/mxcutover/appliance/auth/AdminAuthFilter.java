package io.mxcutover.appliance.auth;

import io.dropwizard.auth.AuthenticationException;
import io.dropwizard.auth.Authenticator;
import io.dropwizard.auth.basic.BasicCredentials;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * HTTP Basic on the admin port, with the API's users and the roles {@link AdminAccess} asks for: 401
 * (with a {@code WWW-Authenticate} challenge) without valid credentials, 403 for the wrong role. The
 * password is checked by the same authenticator as the REST API and never logged.
 */
public final class AdminAuthFilter implements Filter {
    private final Authenticator<BasicCredentials, ApiUser> authenticator;

    public AdminAuthFilter(Authenticator<BasicCredentials, ApiUser> authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse res = (HttpServletResponse) response;
        // Servlet path + path info are decoded and normalised, so "/%74asks/gc" is judged as "/tasks/gc".
        String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
        Optional<Role> needed = AdminAccess.required(req.getMethod(), path);
        if (needed.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        Optional<ApiUser> user = user(req.getHeader("Authorization"));
        if (user.isEmpty()) {
            res.setHeader("WWW-Authenticate", "Basic realm=\"mxcutover\"");
            send(
                    res,
                    401,
                    "credentials required: an API user (users: in the service YAML) with role "
                            + needed.get().name());
        } else if (!user.get().role().grants(needed.get().name().toLowerCase(java.util.Locale.ROOT))) {
            send(
                    res,
                    403,
                    "user " + user.get().name() + " has role "
                            + user.get().role().name() + "; this needs "
                            + needed.get().name());
        } else {
            chain.doFilter(request, response);
        }
    }

    private Optional<ApiUser> user(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        try {
            return authenticator.authenticate(
                    new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
        } catch (AuthenticationException e) {
            return Optional.empty();
        }
    }

    private static void send(HttpServletResponse res, int status, String message) throws IOException {
        res.setStatus(status);
        res.setContentType("application/json");
        res.setCharacterEncoding("UTF-8");
        res.getWriter()
                .write("{\"message\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"details\":[]}");
    }
}
