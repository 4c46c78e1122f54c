package io.mxcutover.appliance.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.mxcutover.appliance.ApplianceConfiguration;
import io.mxcutover.appliance.TestAppliance;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.glassfish.jersey.server.ExtendedResourceContext;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The checked-in OpenAPI document against the Jersey resources the running appliance registered: every
 * path, method and role of one is in the other. A failure names what to add to openapi.json (or which
 * stale entry to remove).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class OpenApiDocumentTest {
    static final TestAppliance APPLIANCE = new TestAppliance(TestAppliance.plan("example.test"));
    static final DropwizardAppExtension<ApplianceConfiguration> APP = APPLIANCE.app;

    @Test
    void documentShouldListExactlyTheRegisteredEndpointsWithTheirRoles() throws Exception {
        Map<String, String> documented = documented(new ObjectMapper().readTree(OpenApiResource.load()));
        Map<String, String> registered = registered();

        assertThat(documented)
                .as(
                        "openapi.json (appliance/src/main/resources%s) vs the resources registered in"
                                + " ApplianceApplication.run(). 'not found' = registered but undocumented: add the path,"
                                + " method and x-role; 'not expected' = documented but not registered (or another role):"
                                + " fix or remove it",
                        OpenApiResource.DOCUMENT)
                .containsExactlyInAnyOrderEntriesOf(registered);
    }

    @Test
    void documentShouldBeServedToOperatorAsJson() throws Exception {
        var request = APP.client().target(APPLIANCE.url("/v1/openapi.json")).request();
        try (Response r = request.header(HttpHeaders.AUTHORIZATION, TestAppliance.OPERATOR)
                .get()) {
            assertThat(r.getStatus()).isEqualTo(200);
            assertThat(r.getMediaType().toString()).startsWith("application/json");
            JsonNode served = new ObjectMapper().readTree(r.readEntity(String.class));
            assertThat(served.get("openapi").asText()).startsWith("3.");
            assertThat(served.get("paths").has("/v1/domains/{domain}/cutover")).isTrue();
        }
    }

    @Test
    void documentShouldResolveEverySchemaReference() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(OpenApiResource.load());
        JsonNode schemas = doc.get("components").get("schemas");
        java.util.List<String> refs = new java.util.ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty().allSatisfy(ref -> {
            assertThat(ref).startsWith("#/components/schemas/");
            assertThat(schemas.has(ref.substring("#/components/schemas/".length())))
                    .as(ref)
                    .isTrue();
        });
    }

    /** "GET /v1/domains/{domain}" -> "operator" from the document's paths and x-role. */
    private static Map<String, String> documented(JsonNode doc) {
        Map<String, String> out = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths =
                        doc.get("paths").properties().iterator();
                paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops =
                            path.getValue().properties().iterator();
                    ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                JsonNode role = op.getValue().get("x-role");
                out.put(
                        op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey(),
                        role == null ? "(no x-role)" : role.asText());
            }
        }
        return out;
    }

    /** The same from Jersey's runtime resource model, for the appliance's own resource methods. */
    private static Map<String, String> registered() {
        ServletContainer jersey = (ServletContainer) APP.getEnvironment().getJerseyServletContainer();
        var model = jersey.getApplicationHandler()
                .getInjectionManager()
                .getInstance(ExtendedResourceContext.class)
                .getResourceModel();
        Map<String, String> out = new TreeMap<>();
        for (Resource root : model.getRootResources()) {
            walk(root, "", out);
        }
        return out;
    }

    private static void walk(Resource resource, String parent, Map<String, String> out) {
        String path = join(parent, resource.getPath());
        for (ResourceMethod m : resource.getResourceMethods()) {
            Method handling = m.getInvocable().getHandlingMethod();
            // Jersey adds OPTIONS/HEAD handlers of its own; only the appliance's methods are the API.
            if (!handling.getDeclaringClass().getName().startsWith("io.mxcutover.")) {
                continue;
            }
            out.put(m.getHttpMethod() + " " + path, role(handling));
        }
        for (Resource child : resource.getChildResources()) {
            walk(child, path, out);
        }
    }

    private static String role(Method method) {
        RolesAllowed roles = method.getAnnotation(RolesAllowed.class);
        if (roles == null) {
            roles = method.getDeclaringClass().getAnnotation(RolesAllowed.class);
        }
        if (roles != null) {
            return String.join(",", roles.value());
        }
        boolean open = method.isAnnotationPresent(PermitAll.class)
                || method.getDeclaringClass().isAnnotationPresent(PermitAll.class);
        return open ? "anyone" : "(no @RolesAllowed)";
    }

    /** Joins template paths and strips regular expressions: {@code {id: [0-9]+}} -> {@code {id}}. */
    private static String join(String parent, String path) {
        String p = (parent + "/" + (path == null ? "" : path)).replaceAll("/+", "/");
        p = p.replaceAll("\\{\\s*([^}:\\s]+)\\s*:[^}]*}", "{$1}");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static void collectRefs(JsonNode node, java.util.List<String> refs) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals("$ref")) {
                    refs.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, refs));
        }
    }
}
