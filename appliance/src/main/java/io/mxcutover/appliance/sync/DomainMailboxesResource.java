package io.mxcutover.appliance.sync;

import io.mxcutover.appliance.ApiError;
import io.mxcutover.appliance.auth.Role;
import io.mxcutover.sync.state.MailboxStatus;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * {@code GET /api/v1/domains/{domain}/mailboxes[?state=AWAITING_USER]} (operator): the domain's mailboxes with their
 * state and the time each was imported, oldest import first; JSON, or CSV with {@code ?format=csv} or
 * {@code Accept: text/csv}. With {@code state=AWAITING_USER} it is the list of users who have not logged in on the
 * self-service page yet: it shrinks as they do.
 */
@Path("/v1/domains/{domain}/mailboxes")
public final class DomainMailboxesResource {
    private final SyncManaged sync;

    public DomainMailboxesResource(SyncManaged sync) {
        this.sync = sync;
    }

    /** One row: address, state, when imported (empty for a row older than that column, in none). */
    public record Row(String address, String state, Optional<Instant> importedAt) {}

    @GET
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response list(
            @PathParam("domain") String domain,
            @QueryParam("state") String state,
            @QueryParam("format") @DefaultValue("") String format,
            @HeaderParam("Accept") @DefaultValue("") String accept) {
        String d = domain == null ? "" : domain.strip().toLowerCase(Locale.ROOT);
        if (!sync.planned(d)) {
            throw error(404, "domain " + d + " is not in the plan", "GET /api/v1/plan lists the planned domains");
        }
        Optional<MailboxStatus.Phase> phase = phase(state);
        Map<String, Instant> imported = sync.importedAt();
        List<Row> rows = sync.mailboxStatuses(d).stream()
                .filter(m -> phase.isEmpty() || m.phase() == phase.get())
                .map(m -> new Row(m.address(), m.phase().name(), Optional.ofNullable(imported.get(m.address()))))
                .sorted(java.util.Comparator.comparing((Row r) -> r.importedAt().orElse(Instant.EPOCH))
                        .thenComparing(Row::address))
                .toList();
        String f = format.strip().toLowerCase(Locale.ROOT);
        boolean csv = f.equals("csv")
                || (f.isEmpty() && accept.toLowerCase(Locale.ROOT).contains("text/csv"));
        if (!f.isEmpty() && !f.equals("csv") && !f.equals("json")) {
            throw error(422, "unknown format '" + format + "'", "use ?format=json or ?format=csv");
        }
        if (csv) {
            return Response.ok(csv(rows), "text/csv; charset=UTF-8")
                    .header(
                            "Content-Disposition",
                            "attachment; filename=\"" + d + "-mailboxes"
                                    + phase.map(p -> "-" + p.name().toLowerCase(Locale.ROOT))
                                            .orElse("") + ".csv\"")
                    .build();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("domain", d);
        body.put("state", phase.map(Enum::name).orElse(null));
        body.put("count", rows.size());
        body.put("mailboxes", rows);
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static Optional<MailboxStatus.Phase> phase(String state) {
        if (state == null || state.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(MailboxStatus.Phase.valueOf(state.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw error(
                    422,
                    "unknown mailbox state '" + state + "'",
                    "use one of " + Arrays.toString(MailboxStatus.Phase.values()));
        }
    }

    static String csv(List<Row> rows) {
        StringWriter w = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(
                w,
                CSVFormat.DEFAULT
                        .builder()
                        .setHeader("address", "state", "imported_at")
                        .get())) {
            for (Row r : rows) {
                p.printRecord(
                        r.address(),
                        r.state(),
                        r.importedAt().map(Instant::toString).orElse(""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static WebApplicationException error(int status, String message, String fix) {
        return new WebApplicationException(Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(message, List.of(fix)))
                .build());
    }
}
