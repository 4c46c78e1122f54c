package io.mxcutover.appliance.console;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.mxcutover.appliance.auth.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /api/v1/relay/counters}: the relay's counters (the {@code relay.*} metrics of the admin port:
 * accepted, spooled, deferred, delivered, bounced, corrupt, rejected by reason) on the API port, for the
 * console and scripts that have an API user but not the admin port. Over every domain, since the appliance
 * started (metrics are not kept across restarts).
 */
@Path("/v1/relay/counters")
@Produces(MediaType.APPLICATION_JSON)
public final class RelayCountersResource {
    static final String PREFIX = "relay.";
    static final String REJECTED = "relay.rejected.";

    private final MetricRegistry metrics;

    public RelayCountersResource(MetricRegistry metrics) {
        this.metrics = metrics;
    }

    @GET
    @RolesAllowed(Role.OPERATOR_NAME)
    public Map<String, Object> counters() {
        Map<String, Object> out = new TreeMap<>();
        Map<String, Long> rejected = new TreeMap<>();
        for (Map.Entry<String, Counter> c :
                metrics.getCounters((name, m) -> name.startsWith(PREFIX)).entrySet()) {
            if (c.getKey().startsWith(REJECTED)) {
                rejected.put(
                        c.getKey().substring(REJECTED.length()), c.getValue().getCount());
            } else {
                out.put(c.getKey().substring(PREFIX.length()), c.getValue().getCount());
            }
        }
        out.put("rejected", rejected);
        return out;
    }
}
