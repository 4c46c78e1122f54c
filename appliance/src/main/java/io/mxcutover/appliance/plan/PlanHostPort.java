package io.mxcutover.appliance.plan;

import java.util.Locale;

/** An SMTP next hop as the admin writes it in the plan: {@code host:port}, connected to directly, never via MX. */
public record PlanHostPort(String host, int port) {
    public PlanHostPort {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("host is empty");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port + " is not in 1-65535");
        host = host.toLowerCase(Locale.ROOT);
    }

    /** Parses {@code host:port} or {@code [v6-address]:port}. */
    public static PlanHostPort of(String text) {
        String t = text == null ? "" : text.strip();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("'" + t + "' is not host:port (example: mail.legacy.example:25)");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + t + "' has no numeric port (example: mail.legacy.example:25)");
        }
        return new PlanHostPort(host, port);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
