package io.mxcutover.dnscheck.poll;

import java.util.Objects;

/** What one server answered for a domain's MX and TXT in one poll. */
public record Observation(NameServer server, ServerReply mx, ServerReply txt) {

    public Observation {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(mx, "mx");
        Objects.requireNonNull(txt, "txt");
    }
}
