package io.mxcutover.appliance.openapi;

import io.mxcutover.appliance.auth.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** {@code GET /api/v1/openapi.json}: the API's OpenAPI 3 document, as checked in next to this class. */
@Path("/v1/openapi.json")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.OPERATOR_NAME)
public final class OpenApiResource {
    /** Classpath location of the document. */
    public static final String DOCUMENT = "/io/mxcutover/appliance/openapi/openapi.json";

    private final String document;

    public OpenApiResource() {
        this.document = load();
    }

    /** The document's text; fails at start when it is missing from the jar (a build mistake). */
    public static String load() {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document " + DOCUMENT + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the OpenAPI document " + DOCUMENT, e);
        }
    }

    @GET
    public String document() {
        return document;
    }
}
