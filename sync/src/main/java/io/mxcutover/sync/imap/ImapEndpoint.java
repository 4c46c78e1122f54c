package io.mxcutover.sync.imap;

import io.mxcutover.sync.credential.Login;
import io.mxcutover.sync.credential.OAuthLogins;
import io.mxcutover.sync.credential.Secret;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An IMAP server of one side: host, port, transport security and, optionally, a master
 * (admin) user that logs into every mailbox by SASL PLAIN with the mailbox's login as
 * authorization id, and optionally an OAuth2 client ({@link OAuthLogins}) whose tokens the mailboxes'
 * {@code xoauth2}/{@code oauthbearer} logins present. Parsed from {@code imap://host:port} (plain, STARTTLS when offered),
 * {@code imap+starttls://} (STARTTLS required) and {@code imaps://} (implicit TLS).
 */
public record ImapEndpoint(
        String host,
        int port,
        Security security,
        Optional<MasterUser> master,
        boolean trustAnyCertificate,
        Optional<OAuthLogins> oauth) {

    public enum Security {
        PLAIN_OR_STARTTLS,
        STARTTLS,
        TLS
    }

    public record MasterUser(String user, Secret password) {
        public MasterUser {
            Objects.requireNonNull(user, "master user");
            Objects.requireNonNull(password, "master password");
            if (user.isBlank()) {
                throw new IllegalArgumentException("master user name is empty");
            }
        }
    }

    public ImapEndpoint {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(master, "master");
        Objects.requireNonNull(oauth, "oauth");
        if (host.isBlank()) {
            throw new IllegalArgumentException("IMAP host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("IMAP port " + port + " is out of range");
        }
    }

    public static ImapEndpoint of(String uri) {
        URI u = URI.create(uri.trim());
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        Security security = switch (scheme) {
            case "imap" -> Security.PLAIN_OR_STARTTLS;
            case "imap+starttls" -> Security.STARTTLS;
            case "imaps" -> Security.TLS;
            default ->
                throw new IllegalArgumentException("'" + uri
                        + "' is not an IMAP URL: use imap://host:port, imap+starttls://host:port or imaps://host:port");
        };
        if (u.getHost() == null) {
            throw new IllegalArgumentException("'" + uri + "' has no host");
        }
        int port = u.getPort() > 0 ? u.getPort() : security == Security.TLS ? 993 : 143;
        boolean trustAny = u.getQuery() != null && u.getQuery().contains("trust=any");
        return new ImapEndpoint(u.getHost(), port, security, Optional.empty(), trustAny, Optional.empty());
    }

    public ImapEndpoint withMaster(String user, String password) {
        return new ImapEndpoint(
                host,
                port,
                security,
                Optional.of(new MasterUser(user, Secret.of(password))),
                trustAnyCertificate,
                oauth);
    }

    /** This server with an OAuth2 client for the mailboxes' bearer-token logins. */
    public ImapEndpoint withOAuth(OAuthLogins logins) {
        return new ImapEndpoint(host, port, security, master, trustAnyCertificate, Optional.of(logins));
    }

    /** {@code login} as it is presented here: with its OAuth2 token source when this server has a client. */
    public Login loginFor(Login login) {
        return oauth.map(o -> o.resolve(login)).orElse(login);
    }

    @Override
    public String toString() {
        return (security == Security.TLS ? "imaps://" : "imap://") + host + ":" + port
                + master.map(m -> " (master user " + m.user() + ")").orElse("")
                + oauth.map(o -> " (" + o + ")").orElse("");
    }
}
