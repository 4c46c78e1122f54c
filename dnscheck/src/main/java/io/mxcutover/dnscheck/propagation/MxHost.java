package io.mxcutover.dnscheck.propagation;

import java.util.Locale;
import java.util.Objects;

/**
 * One MX target with its preference. Host names are kept lower-case without the trailing
 * dot, so that answers from different servers compare equal.
 */
public record MxHost(int priority, String host) {

    public MxHost {
        if (priority < 0 || priority > 65535) {
            throw new IllegalArgumentException("MX priority must be 0..65535, got " + priority);
        }
        host = normalizeHost(Objects.requireNonNull(host, "host"));
        if (host.isEmpty() && priority != 0) {
            // "0 ." is the null MX of RFC 7505; any other empty target is a typo.
            throw new IllegalArgumentException("MX host must not be empty");
        }
    }

    /** Parses {@code "10 mx.example.com."} (as printed in zone files) or a bare host name (priority 10). */
    public static MxHost of(String text) {
        String trimmed = Objects.requireNonNull(text, "text").trim();
        String[] parts = trimmed.split("\\s+");
        if (parts.length == 1) {
            return new MxHost(10, parts[0]);
        }
        if (parts.length == 2) {
            try {
                return new MxHost(Integer.parseInt(parts[0]), parts[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("MX must be '<priority> <host>', got '" + text + "'");
            }
        }
        throw new IllegalArgumentException("MX must be '<priority> <host>', got '" + text + "'");
    }

    public static String normalizeHost(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    /** Zone-file form: {@code 10 mx.example.com.} */
    @Override
    public String toString() {
        return priority + " " + host + ".";
    }
}
