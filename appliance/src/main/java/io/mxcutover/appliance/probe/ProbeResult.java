package io.mxcutover.appliance.probe;

import java.util.Objects;

/**
 * What a probe of a new-server endpoint found, e.g. {@code reachable "mx.new.example:25 answered 220"} or
 * {@code unreachable "imap.new.example:993: connection refused"}. The probing happens elsewhere.
 */
public record ProbeResult(boolean reachable, String detail) {

    public ProbeResult {
        Objects.requireNonNull(detail, "detail");
    }

    public static ProbeResult reachable(String detail) {
        return new ProbeResult(true, detail);
    }

    public static ProbeResult unreachable(String detail) {
        return new ProbeResult(false, detail);
    }
}
