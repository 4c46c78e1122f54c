package io.mxcutover.appliance.dns;

import io.mxcutover.appliance.auth.Role;
import io.mxcutover.dnscheck.cli.ReportView;
import io.mxcutover.dnscheck.poll.Poll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/domains/{domain}/dns?limit=50}: the MX propagation report of a watched
 * domain (null before the first poll), the DNS plan (the MX and SPF TXT records to publish, as
 * text), the latest DNSSEC and MX-target checks ({@link TargetChecks#view}) and its latest
 * {@code limit} polls, newest first.
 */
@Path("/v1/domains/{domain}/dns")
@Produces(MediaType.APPLICATION_JSON)
public final class DnsResource {

    static final int MAX_LIMIT = 1000;

    private final DnsWatch watch;

    public DnsResource(DnsWatch watch) {
        this.watch = watch;
    }

    @GET
    @RolesAllowed(Role.OPERATOR_NAME)
    public Map<String, Object> dns(
            @PathParam("domain") String domain, @QueryParam("limit") @DefaultValue("50") int limit) {
        if (!watch.watches(domain)) {
            throw new NotFoundException(domain + " is not watched: it is not in the plan, or its new.mx is not set");
        }
        List<Poll> history = watch.latestPolls(domain, Math.max(0, Math.min(limit, MAX_LIMIT)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("domain", domain.toLowerCase(java.util.Locale.ROOT));
        body.put("report", watch.report(domain).map(ReportView::of).orElse(null));
        body.put("checks", watch.checksView(domain));
        body.put("plan", watch.dnsPlan(domain).orElse(null));
        body.put("polls", watch.pollCount(domain));
        body.put("history", ReportView.history(history));
        return body;
    }

    /**
     * {@code GET /api/v1/domains/{domain}/dns/series?limit=500}: propagation over time, oldest first: per poll
     * {@code at} and the counts of authoritative servers and watched resolvers returning the new MX set (and
     * of those that gave no usable answer), with the timeline's switch time, expected end and convergence.
     */
    @GET
    @Path("/series")
    @RolesAllowed(Role.OPERATOR_NAME)
    public Map<String, Object> series(
            @PathParam("domain") String domain, @QueryParam("limit") @DefaultValue("500") int limit) {
        if (!watch.watches(domain)) {
            throw new NotFoundException(domain + " is not watched: it is not in the plan, or its new.mx is not set");
        }
        var report = watch.report(domain).map(ReportView::of);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("domain", domain.toLowerCase(java.util.Locale.ROOT));
        body.put("switchTime", report.map(r -> r.get("switchTime")).orElse(null));
        body.put("expectedEnd", report.map(r -> r.get("expectedEnd")).orElse(null));
        body.put("propagatedAt", report.map(r -> r.get("propagatedAt")).orElse(null));
        body.put("points", watch.series(domain, Math.max(0, Math.min(limit, MAX_LIMIT))));
        return body;
    }
}
