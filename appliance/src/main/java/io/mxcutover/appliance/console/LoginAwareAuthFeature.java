package io.mxcutover.appliance.console;

import io.dropwizard.auth.Auth;
import io.dropwizard.auth.AuthDynamicFeature;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;

/**
 * Dropwizard's {@link AuthDynamicFeature}, except that a method marked {@link PermitAll} that takes no
 * {@link Auth} user is left open: Dropwizard would ask for credentials there too, and the login
 * ({@link SessionResource#login}) is where credentials arrive in the body. Every other method is as before:
 * {@code @RolesAllowed} asks for a user, with 401 when there is none.
 */
final class LoginAwareAuthFeature extends AuthDynamicFeature {
    LoginAwareAuthFeature(ContainerRequestFilter authFilter) {
        super(authFilter);
    }

    @Override
    public void configure(ResourceInfo resourceInfo, FeatureContext context) {
        Method m = resourceInfo.getResourceMethod();
        if (m.isAnnotationPresent(PermitAll.class) && !takesUser(m)) {
            return;
        }
        super.configure(resourceInfo, context);
    }

    private static boolean takesUser(Method m) {
        for (Annotation[] parameter : m.getParameterAnnotations()) {
            for (Annotation a : parameter) {
                if (a instanceof Auth) {
                    return true;
                }
            }
        }
        return false;
    }
}
