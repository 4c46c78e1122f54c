package io.mxcutover.appliance.selfservice;

import jakarta.annotation.security.PermitAll;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/v1/self-service}: the API of the page {@code /migrate/}, open without the admin's credentials.
 * {@code POST /login} with {@code {"address", "password"}} (and the page's header
 * {@code X-Requested-With: mxcutover-selfservice}, which another site's form cannot send): 200 with the user's
 * progress and a session cookie ({@code HttpOnly; SameSite=Strict}, {@code Secure} over TLS), 401 with
 * {@link SelfService#REFUSED} for every refusal, 429 with {@code Retry-After} while throttled. {@code GET /progress}
 * in a session: the progress again. {@code DELETE /session} with the session's {@code X-CSRF-Token}: log out.
 */
@Path("/v1/self-service")
@Produces(MediaType.APPLICATION_JSON)
public final class SelfServiceResource {
    static final String PAGE_HEADER = "X-Requested-With";
    static final String PAGE_VALUE = "mxcutover-selfservice";

    private final SelfService service;
    private final boolean enabled;

    public SelfServiceResource(SelfService service, boolean enabled) {
        this.service = service;
        this.enabled = enabled;
    }

    /** The form's body. Its text never shows the password, should anything ever log it. */
    public record Login(String address, String password) {
        @Override
        public String toString() {
            return "Login[address=" + address + ", password=***]";
        }
    }

    @POST
    @Path("/login")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    public Response login(Login login, @HeaderParam(PAGE_HEADER) String page, @Context HttpServletRequest request) {
        if (!enabled) {
            return off();
        }
        if (!PAGE_VALUE.equals(page)) {
            return message(403, "refused: a login comes from the page /migrate/ (header " + PAGE_HEADER + ")");
        }
        SelfService.Outcome outcome = service.login(
                login == null ? null : login.address(),
                login == null ? null : login.password(),
                request.getRemoteAddr());
        if (outcome instanceof SelfService.Accepted a) {
            return Response.ok(Map.of("view", a.view(), "csrfToken", a.session().csrfToken()))
                    .header("Set-Cookie", cookie(a.session().id(), request.isSecure(), false))
                    .build();
        }
        if (outcome instanceof SelfService.Throttled t) {
            long seconds = Math.max(1, t.retryAfter().toSeconds());
            return Response.status(429)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .header("Retry-After", seconds)
                    .entity(Map.of(
                            "message",
                            "Too many attempts. Try again in " + seconds + " seconds.",
                            "details",
                            List.of()))
                    .build();
        }
        return message(401, SelfService.REFUSED);
    }

    @GET
    @Path("/progress")
    @PermitAll
    public Response progress(@CookieParam(SelfServiceSessions.COOKIE) String id) {
        if (!enabled) {
            return off();
        }
        Optional<SelfServiceSessions.Session> s = service.sessions().find(id);
        if (s.isEmpty()) {
            return message(401, "Log in with the address and the password of your old mailbox.");
        }
        return Response.ok(Map.of(
                        "view",
                        service.view(s.get().address()),
                        "csrfToken",
                        s.get().csrfToken()))
                .build();
    }

    @DELETE
    @Path("/session")
    @PermitAll
    public Response logout(
            @CookieParam(SelfServiceSessions.COOKIE) String id,
            @HeaderParam("X-CSRF-Token") String token,
            @Context HttpServletRequest request) {
        Optional<SelfServiceSessions.Session> s = service.sessions().find(id);
        if (s.isPresent() && !matches(s.get().csrfToken(), token)) {
            return message(403, "refused: the CSRF token (header X-CSRF-Token) is missing or wrong; reload the page");
        }
        service.sessions().close(id);
        return Response.ok(Map.of("message", "logged out"))
                .header("Set-Cookie", cookie("", request.isSecure(), true))
                .build();
    }

    static String cookie(String value, boolean secure, boolean expire) {
        return SelfServiceSessions.COOKIE + "=" + value + "; Path=/; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "") + (expire ? "; Max-Age=0" : "");
    }

    private static boolean matches(String expected, String sent) {
        return sent != null
                && MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.US_ASCII), sent.getBytes(StandardCharsets.US_ASCII));
    }

    private static Response off() {
        return message(404, "self-service is off (selfService.enabled: false)");
    }

    private static Response message(int status, String text) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("message", text, "details", List.of()))
                .build();
    }
}
