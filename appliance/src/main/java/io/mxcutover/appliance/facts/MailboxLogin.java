package io.mxcutover.appliance.facts;

/**
 * How a mailbox logs in to the new server, e.g. {@code anna@example.org} as {@code anna} with her new
 * password. {@link #toString()} leaves the password out, so the record can be logged.
 */
public record MailboxLogin(String mailbox, String login, String password) {

    public MailboxLogin {
        if (mailbox == null || mailbox.isBlank()) {
            throw new IllegalArgumentException("a mailbox login needs the mailbox address");
        }
        if (login == null || login.isBlank()) {
            throw new IllegalArgumentException("mailbox " + mailbox + ": the new-server login is empty");
        }
        if (password == null) {
            throw new IllegalArgumentException("mailbox " + mailbox + ": no password");
        }
    }

    @Override
    public String toString() {
        return mailbox + " (login " + login + ")";
    }
}
