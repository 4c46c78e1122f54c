package io.mxcutover.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A test Dovecot instance.
 *
 * @param name           "legacy" or "new"
 * @param masterUser     Dovecot master user: log in as {@link #masterLogin(String)}, or SASL PLAIN
 *                       with authcid = masterUser and authzid = the user
 * @param separator      hierarchy separator of the personal namespace
 * @param prefix         personal namespace prefix ("" when none)
 * @param passwdFile     Dovecot passwd-file of the users (lines {@code login:{PLAIN}password})
 * @param mailRoot       directory holding one Maildir home per user ({@code mailRoot/<login>/Maildir})
 */
public record ImapServer(
        String name,
        String host,
        int port,
        String masterUser,
        String masterPassword,
        char separator,
        String prefix,
        Path passwdFile,
        Path mailRoot) {

    /** Dovecot lower-cases logins (auth_username_format = %Ln), so only lower-case logins can log in. */
    private static final Pattern LOGIN = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    private static final String SCHEME = "{PLAIN}";
    /** Tests of one JVM may create users concurrently; appends to a passwd file must not interleave. */
    private static final Object PASSWD_LOCK = new Object();

    public ImapServer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(masterUser, "masterUser");
        Objects.requireNonNull(masterPassword, "masterPassword");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(passwdFile, "passwdFile");
        Objects.requireNonNull(mailRoot, "mailRoot");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("IMAP port out of range: " + port);
        }
    }

    private void awaitLogin(String login, String password) {
        // Dovecot's passwd-file driver stats the file at most once per wall-clock second: a LOGIN in the second of the
        // append may not see the user yet, and a failed LOGIN costs the failure delay plus anvil's growing penalty
        // for 127.0.0.1 (measured: 1.5 s, then 4 s more for the next try). Waiting for the next second costs 0.5 s on
        // average and the first LOGIN then works.
        try {
            Thread.sleep(1020 - System.currentTimeMillis() % 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while adding user " + login, e);
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        String last = "";
        while (System.nanoTime() < deadline) {
            try (java.net.Socket socket = new java.net.Socket(host, port)) {
                socket.setSoTimeout(5000);
                var in = new java.io.BufferedReader(
                        new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                var out = socket.getOutputStream();
                in.readLine();
                out.write(("a LOGIN \"" + login + "\" \"" + password + "\"\r\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                String line;
                while ((line = in.readLine()) != null && !line.startsWith("a ")) {
                    // untagged capability lines
                }
                if (line != null && line.startsWith("a OK")) {
                    out.write("b LOGOUT\r\n".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                last = String.valueOf(line);
            } catch (IOException e) {
                last = e.toString();
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("Dovecot " + name + " does not accept the new user " + login
                + " within 10 s (last answer: " + last + "); see its log in " + mailRoot.getParent());
    }

    /** An existing user of this server (seeded: alice, bob, carol; or made by {@link #createUser}). */
    public TestUser user(String login) {
        return find(login)
                .orElseThrow(() -> new IllegalArgumentException("Dovecot " + name + " has no user '" + login + "' in "
                        + passwdFile + " (seeded users: alice, bob, carol; use createUser for others)"));
    }

    /**
     * Adds a user to this server's passwd-file; Dovecot re-reads the file at the next lookup, so the
     * user can log in (and receive mail over LMTP, on legacy) at once. Creating an existing user
     * with the same password returns it; with another password it fails.
     */
    public TestUser createUser(String login, String password) {
        if (login == null || !LOGIN.matcher(login).matches()) {
            throw new IllegalArgumentException("login must match " + LOGIN + ": '" + login + "'");
        }
        if (password == null || password.isEmpty() || password.chars().anyMatch(c -> c == ':' || c < 0x20)) {
            throw new IllegalArgumentException(
                    "password of " + login + " must be non-empty, without ':' or control characters");
        }
        synchronized (PASSWD_LOCK) {
            Optional<TestUser> existing = find(login);
            if (existing.isPresent()) {
                if (existing.get().password().equals(password)) {
                    return existing.get();
                }
                throw new IllegalArgumentException(
                        "Dovecot " + name + " already has user '" + login + "' with another password");
            }
            try {
                Files.writeString(
                        passwdFile,
                        login + ":" + SCHEME + password + "\n",
                        StandardCharsets.UTF_8,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot add user " + login + " to " + passwdFile, e);
            }
            // Dovecot looks at the passwd-file at most once a second: a user added in the same second as the
            // last lookup is not known yet. Wait (bounded) until a real LOGIN works.
            awaitLogin(login, password);
            return toUser(login, password);
        }
    }

    /**
     * Adds many new users at once (login: password): one append to the passwd-file and one wait for Dovecot to
     * see it, instead of up to a second per user with {@link #createUser}. Every login must be new here.
     */
    public java.util.List<TestUser> createUsers(java.util.Map<String, String> logins) {
        StringBuilder lines = new StringBuilder();
        java.util.List<TestUser> users = new java.util.ArrayList<>();
        synchronized (PASSWD_LOCK) {
            for (var e : logins.entrySet()) {
                String login = e.getKey();
                String password = e.getValue();
                if (login == null || !LOGIN.matcher(login).matches()) {
                    throw new IllegalArgumentException("login must match " + LOGIN + ": '" + login + "'");
                }
                if (password.isEmpty() || password.chars().anyMatch(c -> c == ':' || c < 0x20)) {
                    throw new IllegalArgumentException(
                            "password of " + login + " must be non-empty, without ':' or control characters");
                }
                if (find(login).isPresent()) {
                    throw new IllegalArgumentException("Dovecot " + name + " already has user '" + login + "'");
                }
                lines.append(login).append(':').append(SCHEME).append(password).append('\n');
                users.add(toUser(login, password));
            }
            if (users.isEmpty()) {
                return users;
            }
            try {
                Files.writeString(passwdFile, lines.toString(), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot add users to " + passwdFile, e);
            }
            TestUser last = users.get(users.size() - 1);
            awaitLogin(last.login(), last.password());
            return users;
        }
    }

    /** The Dovecot master-user login for {@code user}: {@code user*master}. */
    public String masterLogin(String user) {
        return user + "*" + masterUser;
    }

    /** Without the master password. */
    @Override
    public String toString() {
        return "ImapServer[" + name + " " + host + ":" + port + ", separator '" + separator + "', prefix \"" + prefix
                + "\"]";
    }

    private Optional<TestUser> find(String login) {
        try {
            for (String line : Files.readAllLines(passwdFile, StandardCharsets.UTF_8)) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equals(login)) {
                    String secret = line.substring(colon + 1);
                    int end = secret.indexOf(':');
                    secret = end >= 0 ? secret.substring(0, end) : secret;
                    if (secret.startsWith(SCHEME)) {
                        secret = secret.substring(SCHEME.length());
                    }
                    return Optional.of(toUser(login, secret));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Dovecot " + name + " passwd-file " + passwdFile, e);
        }
    }

    private static TestUser toUser(String login, String password) {
        return new TestUser(login, password, login + "@" + TestServers.DOMAIN);
    }
}
