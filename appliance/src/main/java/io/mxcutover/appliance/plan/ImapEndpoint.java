package io.mxcutover.appliance.plan;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** An IMAP server of one side: {@code imap://host[:143]} (STARTTLS when offered) or {@code imaps://host[:993]}. */
public record ImapEndpoint(String host, int port, boolean implicitTls) {
    public ImapEndpoint {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("host is empty");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port + " is not in 1-65535");
        host = host.toLowerCase(Locale.ROOT);
    }

    public static ImapEndpoint of(String text) {
        URI uri;
        try {
            uri = new URI(text == null ? "" : text.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URI (example: imaps://imap.legacy.example:993)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean tls;
        switch (scheme) {
            case "imap" -> tls = false;
            case "imaps" -> tls = true;
            default -> throw new IllegalArgumentException(
                    "'" + text + "' must start with imap:// or imaps:// (example: imaps://imap.legacy.example:993)");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("'" + text + "' has no host (example: imaps://imap.legacy.example:993)");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : (tls ? 993 : 143);
        return new ImapEndpoint(uri.getHost(), port, tls);
    }

    @Override
    public String toString() {
        return (implicitTls ? "imaps://" : "imap://") + host + ":" + port;
    }
}
