package io.mxcutover.appliance.plan;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** An IMAP server of one side: {@code imap://host[:143]} (STARTTLS when offered) or {@code imaps://host[:993]}. */
public record PlanImapUrl(String host, int port, boolean implicitTls) {
    public PlanImapUrl {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("host is empty");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port + " is not in 1-65535");
        host = host.toLowerCase(Locale.ROOT);
    }

    public static PlanImapUrl of(String text) {
        URI uri;
        try {
            uri = new URI(text == null ? "" : text.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a URI (example: imaps://imap.legacy.example:993)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean tls;
        switch (scheme) {
            case "imap" -> tls = false;
            case "imaps" -> tls = true;
            default ->
                throw new IllegalArgumentException("'" + text
                        + "' must start with imap:// or imaps:// (example: imaps://imap.legacy.example:993)");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("'" + text + "' has no host (example: imaps://imap.legacy.example:993)");
        }
        // The appliance takes only scheme, host and port from here; anything else would be silently dropped.
        if (uri.getRawQuery() != null) {
            throw new IllegalArgumentException("'" + text + "' has a query ('?" + uri.getRawQuery() + "'), which the"
                    + " appliance ignores; remove it (to trust a self-signed certificate set sync.trustAnyCertificate:"
                    + " true in the service YAML)");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(
                    "'" + uri.getScheme() + "://" + uri.getHost() + "' has a user name in"
                            + " it, which the appliance ignores; remove it (each mailbox's login comes from the mailbox import)");
        }
        if (uri.getRawPath() != null
                && !uri.getRawPath().isEmpty()
                && !uri.getRawPath().equals("/")) {
            throw new IllegalArgumentException(
                    "'" + text + "' has a path, which the appliance ignores; write only" + " imap[s]://host[:port]");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : (tls ? 993 : 143);
        return new PlanImapUrl(uri.getHost(), port, tls);
    }

    @Override
    public String toString() {
        return (implicitTls ? "imaps://" : "imap://") + host + ":" + port;
    }
}
