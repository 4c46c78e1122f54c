package io.mxcutover.relay.route;

import java.util.Locale;
import java.util.Objects;

/** A next hop: host name or IP literal plus TCP port. {@code of("host:port")}, "[::1]:25" for IPv6. */
public record NextHop(String host, int port) {

    public NextHop {
        Objects.requireNonNull(host, "host");
        host = host.strip().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '@')) {
            throw new IllegalArgumentException("invalid host in next hop: '" + host + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range in next hop " + host + ": " + port);
        }
    }

    /** Parses "host:port", "host" (port 25), "[v6]:port". */
    public static NextHop of(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.strip();
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unterminated [ in next hop: " + text);
            }
            String host = t.substring(1, close);
            String rest = t.substring(close + 1);
            if (rest.isEmpty()) {
                return new NextHop(host, 25);
            }
            if (!rest.startsWith(":")) {
                throw new IllegalArgumentException("expected :port after ] in next hop: " + text);
            }
            return new NextHop(host, parsePort(rest.substring(1), text));
        }
        int colon = t.lastIndexOf(':');
        if (colon < 0) {
            return new NextHop(t, 25);
        }
        if (t.indexOf(':') != colon) {
            throw new IllegalArgumentException("IPv6 next hops need brackets: [" + t + "]:25");
        }
        return new NextHop(t.substring(0, colon), parsePort(t.substring(colon + 1), text));
    }

    private static int parsePort(String p, String whole) {
        try {
            return Integer.parseInt(p);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port in next hop: " + whole);
        }
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
