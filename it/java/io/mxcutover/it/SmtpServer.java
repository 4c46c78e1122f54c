package io.mxcutover.it;

import java.util.Objects;

/** An SMTP server under test (Postfix standing for the legacy or the new MTA), plain SMTP, no auth. */
public record SmtpServer(String host, int port, String domain) {

    public SmtpServer {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(domain, "domain");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("SMTP port out of range: " + port);
        }
    }
}
