package io.mxcutover.appliance.auth;

import java.security.Principal;

/** An authenticated caller of the REST API. */
public record ApiUser(String name, Role role) implements Principal {
    @Override
    public String getName() {
        return name;
    }
}
