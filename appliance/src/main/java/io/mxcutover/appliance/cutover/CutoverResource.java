package io.mxcutover.appliance.cutover;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.auth.Auth;
import io.mxcutover.appliance.ApiError;
import io.mxcutover.appliance.auth.ApiUser;
import io.mxcutover.appliance.auth.Role;
import io.mxcutover.appliance.plan.DomainPlan;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/v1/domains}: each domain of the plan with its phase, preflight, catch-up window, DNS, sync
 * and relay queue (operator), and the admin's commands: cutover, rollback, window extend/close. Errors are
 * {@link ApiError}: 404 for a domain not in the plan, 409 for a command the domain's state does not allow
 * (with the failing checks), 422 for a body that cannot be used. Bodies are parsed here, strictly, so that
 * a misspelt field is an error rather than silently ignored.
 */
@Path("/v1/domains")
@Produces(MediaType.APPLICATION_JSON)
public final class CutoverResource {

    /** The answer to a command: {@code changed}, {@code unchanged} (a repeat) or {@code extended}. */
    public record Reply(String outcome, String message, DomainView domain) {}

    public record Domains(List<DomainView> domains) {}

    private final CutoverService service;
    private final ObjectMapper json;

    public CutoverResource(CutoverService service, ObjectMapper json) {
        this.service = service;
        this.json = json;
    }

    @GET
    @RolesAllowed(Role.OPERATOR_NAME)
    public Domains domains() {
        return new Domains(service.overview());
    }

    @GET
    @Path("/{domain}")
    @RolesAllowed(Role.OPERATOR_NAME)
    public DomainView domain(@PathParam("domain") String domain) {
        return service.view(planned(domain));
    }

    @POST
    @Path("/{domain}/cutover")
    @RolesAllowed(Role.ADMIN_NAME)
    public Response cutover(@Auth ApiUser user, @PathParam("domain") String domain, String body) {
        DomainPlan d = planned(domain);
        JsonNode in = body(body, Set.of("reason", "force"));
        String reason = text(in, "reason");
        boolean force = flag(in, "force");
        if (force && reason.isBlank()) {
            throw unusable(
                    "a forced cutover needs a reason for the audit log",
                    "send {\"force\": true, \"reason\": \"why the failing checks do not matter\"}");
        }
        return reply(service.cutover(d, user.name(), reason, force));
    }

    @POST
    @Path("/{domain}/rollback")
    @RolesAllowed(Role.ADMIN_NAME)
    public Response rollback(@Auth ApiUser user, @PathParam("domain") String domain, String body) {
        DomainPlan d = planned(domain);
        JsonNode in = body(body, Set.of("reason"));
        return reply(service.rollback(d, user.name(), text(in, "reason")));
    }

    /** Body: {@code {"extend": "12h", "reason": ...}} or {@code {"close": true, "force": true, "reason": ...}}. */
    @POST
    @Path("/{domain}/window")
    @RolesAllowed(Role.ADMIN_NAME)
    public Response window(@Auth ApiUser user, @PathParam("domain") String domain, String body) {
        DomainPlan d = planned(domain);
        JsonNode in = body(body, Set.of("extend", "close", "force", "reason"));
        String extend = text(in, "extend");
        boolean close = flag(in, "close");
        String reason = text(in, "reason");
        if (extend.isBlank() == !close) {
            throw unusable(
                    "say either how long to extend the catch-up window, or to close it",
                    "send {\"extend\": \"12h\"} or {\"close\": true, \"force\": true, \"reason\": \"...\"}");
        }
        if (close) {
            return reply(service.closeWindow(d, user.name(), flag(in, "force"), reason));
        }
        if (in.has("force")) {
            throw unusable("force only applies to closing the window", "drop \"force\" when extending");
        }
        return reply(service.extendWindow(d, user.name(), duration(extend), reason));
    }

    @GET
    @Path("/{domain}/report")
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response report(
            @PathParam("domain") String domain, @QueryParam("format") @DefaultValue("json") String format) {
        DomainPlan d = planned(domain);
        DomainReport report = service.report(d);
        return switch (format.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "json" -> Response.ok(report, MediaType.APPLICATION_JSON_TYPE).build();
            case "csv" ->
                Response.ok(DomainReportCsv.write(report), "text/csv; charset=UTF-8")
                        .header("Content-Disposition", "attachment; filename=\"" + d.name() + "-report.csv\"")
                        .build();
            default -> throw unusable("unknown report format '" + format + "'", "use ?format=json or ?format=csv");
        };
    }

    private DomainPlan planned(String domain) {
        return service.planned(domain)
                .orElseThrow(() -> new WebApplicationException(Response.status(404)
                        .type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(
                                new ApiError(
                                        "domain " + domain + " is not in the migration plan",
                                        List.of(
                                                "domains in the plan: " + String.join(", ", service.domainNames()),
                                                "add it to the plan file; the plan in force is reloaded when the file changes")))
                        .build()));
    }

    private static Response reply(CommandResult result) {
        Transition t = result.transition();
        if (t instanceof Transition.Refused r) {
            List<String> details = new ArrayList<>();
            details.add("phase: " + r.current());
            r.failingChecks().forEach(c -> details.add(c.toString()));
            return Response.status(409)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ApiError(r.reason(), details))
                    .build();
        }
        Reply reply;
        if (t instanceof Transition.Changed c) {
            reply = new Reply("changed", c.auditText(), result.domain());
        } else if (t instanceof Transition.WindowExtended x) {
            reply = new Reply("extended", x.auditText(), result.domain());
        } else {
            reply = new Reply("unchanged", ((Transition.Unchanged) t).why(), result.domain());
        }
        return Response.ok(reply, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** An empty body is an empty object: every field is optional somewhere. */
    private JsonNode body(String body, Set<String> allowed) {
        if (body == null || body.isBlank()) {
            return json.createObjectNode();
        }
        JsonNode in;
        try {
            in = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw unusable(
                    "the request body is not JSON: " + e.getOriginalMessage(),
                    "send a JSON object, e.g. {\"reason\": \"go-live ticket 4711\"}");
        }
        if (in == null || !in.isObject()) {
            throw unusable("the request body must be a JSON object", "send e.g. {\"reason\": \"go-live ticket 4711\"}");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = in.properties().iterator(); it.hasNext(); ) {
            String field = it.next().getKey();
            if (!allowed.contains(field)) {
                throw unusable(
                        "unknown field '" + field + "'",
                        "allowed here: "
                                + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
        return in;
    }

    private static String text(JsonNode in, String field) {
        JsonNode v = in.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw unusable("'" + field + "' must be a string", "write \"" + field + "\": \"...\"");
        }
        if (v.asText().length() > 2000) {
            throw unusable("'" + field + "' is longer than 2000 characters", "shorten it");
        }
        return v.asText().strip();
    }

    private static boolean flag(JsonNode in, String field) {
        JsonNode v = in.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw unusable("'" + field + "' must be true or false", "write \"" + field + "\": true");
        }
        return v.asBoolean();
    }

    private static Duration duration(String text) {
        try {
            Duration d =
                    Duration.ofNanos(io.dropwizard.util.Duration.parse(text).toNanoseconds());
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException("not positive");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw unusable("'" + text + "' is not a positive duration", "write e.g. 12h, 90m or 2d");
        }
    }

    private static WebApplicationException unusable(String message, String fix) {
        return new WebApplicationException(Response.status(422)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(message, List.of(fix)))
                .build());
    }
}
