package io.mxcutover.appliance.console;

import io.dropwizard.auth.AuthFilter;
import io.mxcutover.appliance.auth.ApiUser;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;

/**
 * Authenticates an API request by the console's session cookie (after HTTP Basic, in a chain): the same
 * users and roles, so a page reads and acts exactly as {@code curl -u} would. The CSRF token of a change is
 * checked before this, by {@link ConsoleFilter}.
 */
@Priority(Priorities.AUTHENTICATION)
public final class SessionAuthFilter extends AuthFilter<String, ApiUser> {

    @Override
    public void filter(ContainerRequestContext request) {
        Cookie cookie = request.getCookies().get(ConsoleSessions.COOKIE);
        if (!authenticate(request, cookie == null ? null : cookie.getValue(), "SESSION")) {
            throw unauthorizedHandler.buildException(prefix, realm);
        }
    }

    /** Builds the filter over the sessions (the "authenticator" looks the id up). */
    public static SessionAuthFilter over(ConsoleSessions sessions, io.dropwizard.auth.Authorizer<ApiUser> authorizer) {
        return new Builder()
                .setAuthenticator(id -> sessions.find(id).map(ConsoleSessions.Session::user))
                .setAuthorizer(authorizer)
                .setPrefix("Session")
                .setRealm("mxcutover")
                .buildAuthFilter();
    }

    private static final class Builder extends AuthFilterBuilder<String, ApiUser, SessionAuthFilter> {
        @Override
        protected SessionAuthFilter newInstance() {
            return new SessionAuthFilter();
        }
    }
}
