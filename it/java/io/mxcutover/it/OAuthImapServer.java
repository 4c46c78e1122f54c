package io.mxcutover.it;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A third, small Dovecot whose users log in only by SASL XOAUTH2 or OAUTHBEARER, checked by Dovecot's
 * {@code oauth2} passdb against a token-introspection endpoint (RFC 7662, {@code introspection_mode = post}) that
 * the test runs, e.g. {@link OAuthIssuer}: a token is good when that endpoint answers {@code "active": true} and a
 * {@code "username"} equal to the login. Any login name is a user (no passwd file); Maildir {@code LAYOUT=fs},
 * separator {@code '/'}, no prefix, no special-use folders. No auth cache and no failure delay, so a revoked token
 * is refused at the next login, at once.
 *
 * <pre>{@code
 * try (OAuthIssuer issuer = OAuthIssuer.start();
 *         OAuthImapServer imap = OAuthImapServer.start(dir, issuer.introspectionUrl())) { ... }
 * }</pre>
 *
 * <p>Started by {@code it/servers.sh oauth-start DIR} (about half a second) in its own directory, stopped by
 * {@link #close} ({@code servers.sh stop DIR}); a JVM that dies leaves it to {@link RealServers}' clean-up of
 * abandoned directories when DIR is {@code <module>/target/it-servers/<jvm pid>-oauth}.
 */
public record OAuthImapServer(String host, int port, Path mailRoot, Path log, Path dir) implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    /** The directory for this JVM's instance: {@code <module>/target/it-servers/<jvm pid>-oauth}. */
    public static Path defaultDir() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
                .toAbsolutePath()
                .resolve("target")
                .resolve("it-servers")
                .resolve(ProcessHandle.current().pid() + "-oauth");
    }

    /** Starts the server in {@code dir}, asking {@code introspectionUrl} (loopback http) about every token. */
    public static OAuthImapServer start(Path dir, URI introspectionUrl) {
        ServersScript.Result result = ServersScript.run(
                "oauth-start",
                dir,
                Map.of("MXCIT_OAUTH_INTROSPECTION_URL", introspectionUrl.toString()),
                START_TIMEOUT);
        if (result.exitCode() == ServersScript.EXIT_MISSING_BINARY) {
            throw new IllegalStateException(
                    "Dovecot is not installed: " + result.output() + "\nTo fix: " + ServersScript.INSTALL_HINT);
        }
        if (!result.ok()) {
            throw new IllegalStateException("the oauth Dovecot did not start (exit " + result.exitCode() + ", files in "
                    + dir + "):\n" + result.output());
        }
        ServersEnv env = ServersEnv.read(dir.resolve("servers.env"));
        return new OAuthImapServer(
                env.get("HOST"),
                Integer.parseInt(env.get("OAUTH_IMAP_PORT")),
                Path.of(env.get("OAUTH_MAIL_ROOT")),
                Path.of(env.get("OAUTH_LOG")),
                dir);
    }

    /** {@code imap://host:port?trust=any}: STARTTLS is offered with the test certificate. */
    public String uri() {
        return "imap://" + host + ":" + port + "?trust=any";
    }

    @Override
    public void close() {
        ServersScript.Result result = ServersScript.run("stop", dir, Map.of(), STOP_TIMEOUT);
        if (!result.ok()) {
            System.err.println("[OAuthImapServer] stopping the server in " + dir + " failed (exit " + result.exitCode()
                    + "):\n" + result.output());
        }
    }
}
