package io.mxcutover.appliance.auth;

import io.dropwizard.auth.Authorizer;
import jakarta.ws.rs.container.ContainerRequestContext;

/** {@code @RolesAllowed("operator")} admits operators and admins; {@code "admin"} only admins. */
public final class RoleAuthorizer implements Authorizer<ApiUser> {
    @Override
    public boolean authorize(ApiUser user, String role, ContainerRequestContext context) {
        return user.role().grants(role);
    }
}
