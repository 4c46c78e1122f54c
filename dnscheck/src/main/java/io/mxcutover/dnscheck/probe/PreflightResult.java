package io.mxcutover.dnscheck.probe;

import java.util.List;
import java.util.Objects;

/**
 * Whether one expected MX host is ready to receive mail: its addresses and, per address, the
 * SMTP greeting or why there was none.
 */
public record PreflightResult(String host, Status status, List<String> addresses, String detail) {

    public enum Status {
        /** Every address answered with a 220 greeting. */
        OK,
        /** The host name has no A/AAAA record. */
        NO_ADDRESS,
        /** An address did not accept a connection on the SMTP port. */
        NOT_LISTENING,
        /** An address accepted the connection but greeted with something other than 220. */
        BAD_GREETING,
        /** The address lookup got no answer (timeout, SERVFAIL, REFUSED, network error): not checked. */
        UNKNOWN
    }

    public PreflightResult {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(status, "status");
        addresses = List.copyOf(addresses);
        Objects.requireNonNull(detail, "detail");
    }
}
