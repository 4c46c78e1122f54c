package io.mxcutover.appliance.auth;

import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.server.ServerFactory;
import io.dropwizard.jetty.ConnectorFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the admin port listens. Dropwizard binds a connector without {@code bindHost} to every interface;
 * the appliance binds such admin connectors to 127.0.0.1 instead, so health checks, metrics and tasks are
 * reachable from the machine itself unless the YAML names another address. (They need credentials either
 * way: {@link AdminAuthFilter}.)
 */
public final class AdminBinding {
    public static final String LOOPBACK = "127.0.0.1";

    private AdminBinding() {}

    /** Sets {@value #LOOPBACK} on every admin connector without a bind host; returns how many it changed. */
    public static int loopbackByDefault(ServerFactory server) {
        int changed = 0;
        for (HttpConnectorFactory c : adminConnectors(server)) {
            if (c.getBindHost() == null || c.getBindHost().isBlank()) {
                c.setBindHost(LOOPBACK);
                changed++;
            }
        }
        return changed;
    }

    /** "host:port" of every admin connector that listens beyond loopback (after {@link #loopbackByDefault}). */
    public static List<String> exposed(ServerFactory server) {
        List<String> out = new ArrayList<>();
        for (HttpConnectorFactory c : adminConnectors(server)) {
            String host = c.getBindHost() == null || c.getBindHost().isBlank() ? LOOPBACK : c.getBindHost();
            if (!isLoopback(host)) {
                out.add(host + ":" + c.getPort());
            }
        }
        return out;
    }

    private static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false; // a name that does not resolve here: assume it is reachable from elsewhere
        }
    }

    private static List<HttpConnectorFactory> adminConnectors(ServerFactory server) {
        List<HttpConnectorFactory> out = new ArrayList<>();
        if (server instanceof DefaultServerFactory d) {
            for (ConnectorFactory c : d.getAdminConnectors()) {
                if (c instanceof HttpConnectorFactory h) {
                    out.add(h);
                }
            }
        }
        return out;
    }
}
