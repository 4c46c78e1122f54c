package io.mxcutover.appliance.console;

import io.dropwizard.auth.Auth;
import io.dropwizard.auth.AuthenticationException;
import io.dropwizard.auth.Authenticator;
import io.dropwizard.auth.basic.BasicCredentials;
import io.mxcutover.appliance.auth.ApiUser;
import io.mxcutover.appliance.auth.Role;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/v1/session}: the console's login. {@code POST} with {@code {"name", "password"}} checks them
 * against the API's users (same bcrypt hashes as HTTP Basic) and answers with the user, the role and the
 * session's CSRF token, setting the session cookie ({@code HttpOnly; SameSite=Strict}, {@code Secure} over
 * TLS); {@code GET} says who is logged in; {@code DELETE} logs out. The login is the one endpoint without a
 * role: its credentials are in the body.
 */
@Path("/v1/session")
@Produces(MediaType.APPLICATION_JSON)
public final class SessionResource {
    private final ConsoleSessions sessions;
    private final Authenticator<BasicCredentials, ApiUser> authenticator;

    public SessionResource(ConsoleSessions sessions, Authenticator<BasicCredentials, ApiUser> authenticator) {
        this.sessions = sessions;
        this.authenticator = authenticator;
    }

    /** The login form's body. Its text never shows the password, should anything ever log it. */
    public record Login(String name, String password) {
        @Override
        public String toString() {
            return "Login[name=" + name + ", password=***]";
        }
    }

    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    public Response login(Login login, @Context HttpServletRequest request) throws AuthenticationException {
        Optional<ApiUser> user = login == null || login.name() == null || login.password() == null
                ? Optional.empty()
                : authenticator.authenticate(new BasicCredentials(login.name(), login.password()));
        if (user.isEmpty()) {
            // No WWW-Authenticate: the page shows the message, the browser must not pop up its own dialog.
            return Response.status(401)
                    .entity(Map.of("message", "wrong user name or password", "details", List.of()))
                    .build();
        }
        ConsoleSessions.Session s = sessions.open(user.get());
        return Response.ok(view(user.get(), s.csrfToken(), "session"))
                .header("Set-Cookie", cookie(s.id(), request.isSecure(), false))
                .build();
    }

    @GET
    @RolesAllowed(Role.OPERATOR_NAME)
    public Map<String, Object> whoAmI(@Auth ApiUser user, @CookieParam(ConsoleSessions.COOKIE) String id) {
        Optional<ConsoleSessions.Session> s =
                sessions.find(id).filter(x -> x.user().equals(user));
        return view(user, s.map(ConsoleSessions.Session::csrfToken).orElse(null), s.isPresent() ? "session" : "basic");
    }

    @DELETE
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response logout(
            @Auth ApiUser user, @CookieParam(ConsoleSessions.COOKIE) String id, @Context HttpServletRequest request) {
        sessions.close(id);
        return Response.ok(Map.of("message", user.name() + " logged out"))
                .header("Set-Cookie", cookie("", request.isSecure(), true))
                .build();
    }

    static String cookie(String value, boolean secure, boolean expire) {
        return ConsoleSessions.COOKIE + "=" + value + "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
                + (expire ? "; Max-Age=0" : "");
    }

    private static Map<String, Object> view(ApiUser user, String csrf, String via) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", user.name());
        m.put("role", user.role().name().toLowerCase(java.util.Locale.ROOT));
        m.put("csrfToken", csrf);
        m.put("authenticatedBy", via);
        return m;
    }
}
