package io.mxcutover.appliance.console;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * In front of everything on the API port (pages and {@code /api}):
 * <ul>
 *   <li>security headers on every answer: a Content-Security-Policy without inline script or style,
 *       no framing, no sniffing, no referrer;</li>
 *   <li>CSRF: a change (any method but GET, HEAD, OPTIONS) from a browser of another site is refused
 *       ({@code Origin} or {@code Sec-Fetch-Site} says so), and a change authenticated by the session
 *       cookie must carry the session's token in {@code X-CSRF-Token}; HTTP Basic clients (curl, scripts)
 *       send neither cookie nor Origin and are unaffected;</li>
 *   <li>a console request ({@code X-Requested-With: mxcutover-console}) gets its 401 without the Basic
 *       challenge, so the page shows its login form instead of the browser's password dialog.</li>
 * </ul>
 */
public final class ConsoleFilter implements Filter {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    static final String CONSOLE_HEADER = "X-Requested-With";
    static final String CONSOLE_VALUE = "mxcutover-console";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private final ConsoleSessions sessions;

    public ConsoleFilter(ConsoleSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse res = (HttpServletResponse) response;
        res.setHeader("Content-Security-Policy", CSP);
        res.setHeader("X-Content-Type-Options", "nosniff");
        res.setHeader("X-Frame-Options", "DENY");
        res.setHeader("Referrer-Policy", "no-referrer");
        if (!SAFE.contains(req.getMethod().toUpperCase(Locale.ROOT))) {
            Optional<String> refusal = csrfRefusal(req);
            if (refusal.isPresent()) {
                res.setStatus(403);
                res.setContentType("application/json");
                res.setCharacterEncoding("UTF-8");
                res.getWriter().write("{\"message\":\"" + refusal.get() + "\",\"details\":[]}");
                return;
            }
        }
        boolean console = CONSOLE_VALUE.equals(req.getHeader(CONSOLE_HEADER));
        chain.doFilter(request, console ? new NoBasicChallenge(res) : res);
    }

    /** Why a change is refused as a possible cross-site request forgery; empty when it may go on. */
    Optional<String> csrfRefusal(HttpServletRequest req) {
        String site = req.getHeader("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return Optional.of("refused: a change from another site (Sec-Fetch-Site: " + site.replace("\"", "") + ")");
        }
        String origin = req.getHeader("Origin");
        if (origin != null && !sameOrigin(origin, req)) {
            return Optional.of("refused: a change from another origin");
        }
        if (req.getRequestURI().startsWith("/api/v1/self-service/")) {
            return Optional.empty(); // the self-service page's own checks (appliance.selfservice), not the console's
        }
        if (req.getHeader("Authorization") != null) {
            return Optional.empty(); // HTTP Basic: the browser never adds these on its own for the console
        }
        String id = sessionId(req);
        if (id == null) {
            return Optional.empty(); // no credentials at all: authentication answers 401
        }
        Optional<ConsoleSessions.Session> s = sessions.find(id);
        if (s.isPresent() && !ConsoleSessions.csrfMatches(s.get(), req.getHeader(CSRF_HEADER))) {
            return Optional.of(
                    "refused: the CSRF token (header " + CSRF_HEADER + ") is missing or wrong; reload the page");
        }
        return Optional.empty();
    }

    static boolean sameOrigin(String origin, HttpServletRequest req) {
        try {
            URI o = URI.create(origin);
            String host = req.getHeader("Host");
            return o.getScheme() != null
                    && o.getScheme().equalsIgnoreCase(req.getScheme())
                    && host != null
                    && host.equalsIgnoreCase(o.getRawAuthority());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String sessionId(HttpServletRequest req) {
        Cookie[] cookies = req.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie c : cookies) {
            if (ConsoleSessions.COOKIE.equals(c.getName())) {
                return c.getValue();
            }
        }
        return null;
    }

    /** Drops {@code WWW-Authenticate}, so a 401 to the page does not open the browser's login dialog. */
    private static final class NoBasicChallenge extends HttpServletResponseWrapper {
        NoBasicChallenge(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setHeader(String name, String value) {
            if (!"WWW-Authenticate".equalsIgnoreCase(name)) {
                super.setHeader(name, value);
            }
        }

        @Override
        public void addHeader(String name, String value) {
            if (!"WWW-Authenticate".equalsIgnoreCase(name)) {
                super.addHeader(name, value);
            }
        }
    }
}
