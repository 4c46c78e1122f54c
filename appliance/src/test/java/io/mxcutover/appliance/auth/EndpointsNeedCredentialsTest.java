package io.mxcutover.appliance.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.mxcutover.appliance.TestAppliance;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every REST endpoint the appliance registers asks for a role; nothing under /api answers anonymously, except
 * the console's login ({@code POST /api/v1/session}), whose credentials are in the body, and the self-service
 * page's API ({@code /api/v1/self-service}: the user's old password in the body, then that user's own session).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class EndpointsNeedCredentialsTest {
    static final TestAppliance APPLIANCE = new TestAppliance(TestAppliance.plan("example.test"));
    static final DropwizardAppExtension<?> APP = APPLIANCE.app;

    static final Set<String> LOGIN = Set.of(
            "SessionResource.login",
            "SelfServiceResource.login",
            "SelfServiceResource.progress",
            "SelfServiceResource.logout");

    @Test
    void everyResourceMethodShouldCarryRolesAllowed() {
        Set<Class<?>> resources = new HashSet<>();
        var config = APP.getEnvironment().jersey().getResourceConfig();
        config.getInstances().forEach(i -> resources.add(i.getClass()));
        resources.addAll(config.getClasses());
        List<String> open = new ArrayList<>();
        int endpoints = 0;
        for (Class<?> c : resources) {
            if (!c.isAnnotationPresent(Path.class)) {
                continue;
            }
            for (Method m : c.getMethods()) {
                if (!isEndpoint(m)) {
                    continue;
                }
                endpoints++;
                boolean roles = m.isAnnotationPresent(RolesAllowed.class)
                        || (c.isAnnotationPresent(RolesAllowed.class) && !m.isAnnotationPresent(PermitAll.class));
                if (!roles && !LOGIN.contains(c.getSimpleName() + "." + m.getName())) {
                    open.add(c.getSimpleName() + "." + m.getName());
                }
            }
        }
        assertThat(endpoints).as("endpoints found").isGreaterThan(20);
        assertThat(open).as("endpoints without @RolesAllowed").isEmpty();
    }

    @Test
    void jerseyGeneratedDocumentsShouldNotAnswerAnonymously() {
        for (String path : List.of("/application.wadl", "/v1/openapi.json", "/v1/status")) {
            try (Response r = APP.client().target(APPLIANCE.url(path)).request().get()) {
                assertThat(r.getStatus()).as(path).isIn(401, 404);
            }
        }
    }

    private static boolean isEndpoint(Method m) {
        for (Annotation a : m.getAnnotations()) {
            if (a.annotationType().isAnnotationPresent(HttpMethod.class)) {
                return true;
            }
        }
        return false;
    }
}
