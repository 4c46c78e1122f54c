package io.mxcutover.sync.imapsync;

import io.mxcutover.sync.credential.Login;
import io.mxcutover.sync.folder.FolderRules;
import io.mxcutover.sync.imap.ImapEndpoint;
import io.mxcutover.sync.mailbox.MailboxAddress;
import io.mxcutover.sync.plan.MessageFilter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An imapsync command line, understood: the two servers and logins, the folder rules, which messages, and what
 * to do. {@link ImapsyncOptions#parse} makes it; the one-shot sync runs it.
 *
 * @param notes what the run does differently from imapsync although the option was accepted (printed first)
 */
public record ImapsyncRequest(
        Host host1,
        Host host2,
        FolderRules folders,
        MessageFilter messages,
        Mode mode,
        boolean dry,
        Optional<Path> state,
        Optional<Path> keyFile,
        List<String> notes) {

    /** What the run does: copy, create the folders only ({@code --justfolders}), or log in only. */
    public enum Mode {
        SYNC,
        JUST_FOLDERS,
        JUST_LOGIN
    }

    /**
     * One side as imapsync names it. Exactly one of {@code password} and {@code passfile} is present.
     *
     * @param authuser the admin who logs in for {@code user} (SASL PLAIN authorization), with {@code password}
     */
    public record Host(
            String host,
            int port,
            ImapEndpoint.Security security,
            boolean trustAnyCertificate,
            String user,
            Optional<String> password,
            Optional<Path> passfile,
            Optional<String> authuser) {
        public Host {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(security, "security");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(passfile, "passfile");
            Objects.requireNonNull(authuser, "authuser");
            if (password.isPresent() == passfile.isPresent()) {
                throw new IllegalArgumentException("one of a password and a password file, not both or none");
            }
        }

        /** The server, with the admin as master user when there is one; {@code password} is read by the caller. */
        public ImapEndpoint endpoint(String password) {
            ImapEndpoint e =
                    new ImapEndpoint(host, port, security, Optional.empty(), trustAnyCertificate, Optional.empty());
            return authuser.map(a -> e.withMaster(a, password)).orElse(e);
        }

        /** The mailbox's login: its own password, or none when the admin logs in for it. */
        public Login login(String password) {
            return Login.password(user, authuser.isPresent() ? "" : password);
        }

        @Override
        public String toString() {
            return (security == ImapEndpoint.Security.TLS ? "imaps://" : "imap://") + host + ":" + port + " as " + user
                    + authuser.map(a -> " (admin " + a + ")").orElse("");
        }
    }

    public ImapsyncRequest {
        Objects.requireNonNull(host1, "host1");
        Objects.requireNonNull(host2, "host2");
        Objects.requireNonNull(folders, "folders");
        Objects.requireNonNull(messages, "messages");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(keyFile, "keyFile");
        notes = List.copyOf(notes);
    }

    /**
     * The key of the mailbox in the sync state and the reports: {@code user1} when it is an address, else
     * {@code user1@host1} (imapsync has no address; the state needs one, and this keeps two servers apart).
     */
    public String address() {
        String user = host1.user().strip().toLowerCase(Locale.ROOT);
        if (MailboxAddress.problem(user).isEmpty()) {
            return user;
        }
        String withHost = user + "@" + host1.host().toLowerCase(Locale.ROOT);
        if (MailboxAddress.problem(withHost).isEmpty()) {
            return withHost;
        }
        throw new IllegalArgumentException("--user1 '" + host1.user() + "' is not an address and " + withHost
                + " is not one either; give --user1 as user@domain");
    }
}
