package io.mxcutover.dnscheck.poll;

import java.util.Objects;

/**
 * A server we ask. {@code label} is what an admin recognises ({@code ns1.example.com},
 * {@code Google 8.8.8.8}); {@code host} is an IP literal or a host name; a server is
 * identified by role, host and port.
 */
public record NameServer(String label, Role role, String host, int port) {

    /** Authoritative servers are asked with RD cleared and must answer with AA set. */
    public enum Role {
        AUTHORITATIVE,
        RESOLVER
    }

    public NameServer {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("name server host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("name server port must be 1..65535, got " + port);
        }
    }

    /** Parses {@code 127.0.0.1:5300}, {@code [::1]:5300} or {@code 9.9.9.9} (port 53). */
    public static NameServer of(Role role, String hostPort) {
        String s = Objects.requireNonNull(hostPort, "hostPort").trim();
        String host = s;
        int port = 53;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("missing ']' in " + hostPort);
            }
            host = s.substring(1, close);
            if (s.length() > close + 1) {
                port = parsePort(s.substring(close + 1), hostPort);
            }
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = parsePort(s.substring(s.indexOf(':')), hostPort);
        }
        return new NameServer(s, role, host, port);
    }

    private static int parsePort(String colonPort, String original) {
        if (!colonPort.startsWith(":")) {
            throw new IllegalArgumentException("expected host:port, got " + original);
        }
        try {
            return Integer.parseInt(colonPort.substring(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in " + original);
        }
    }

    public boolean authoritative() {
        return role == Role.AUTHORITATIVE;
    }

    /** {@code host:port}, with brackets for IPv6 literals. */
    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
