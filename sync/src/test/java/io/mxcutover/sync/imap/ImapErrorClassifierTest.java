package io.mxcutover.sync.imap;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import java.io.IOException;
import org.eclipse.angus.mail.iap.BadCommandException;
import org.eclipse.angus.mail.iap.CommandFailedException;
import org.eclipse.angus.mail.iap.ConnectionException;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real servers' replies and what they mean for the sync. {@code how} is the way the reply reaches us:
 * <ul>
 *   <li>{@code TAGGED}: the tagged NO/BAD of a command Angus issued (FETCH, SELECT, CREATE, ...);</li>
 *   <li>{@code APPEND}: the tagged reply of the APPEND we issue ourselves;</li>
 *   <li>{@code BYE}: an untagged BYE the server sent in mid-session;</li>
 *   <li>{@code LOGIN}: the refusal of LOGIN/AUTHENTICATE;</li>
 *   <li>{@code DROPPED}: no reply at all, the connection closed (Angus's synthetic BYE).</li>
 * </ul>
 * Sources of the texts: Dovecot's source ({@code mail-error.h}, {@code login-common}), ADR 0005 and the
 * imapsync issues in {@code migration-tools.md} (Office 365), Gmail replies quoted by mbsync and imapsync
 * users, Zimbra's {@code ImapHandler}. A row marked GAP records a decision that is arguably wrong and not
 * fixed yet, with the reason.
 */
class ImapErrorClassifierTest {
    private static final String SERVER = "legacy.example:143";

    @ParameterizedTest(name = "{0} {1}: {2} -> {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                // Dovecot
                "Dovecot  | TAGGED  | A4 NO [CANNOT] Invalid mailbox name: Contains reserved name                          | REFUSED",
                "Dovecot  | TAGGED  | A4 NO [TRYCREATE] Mailbox doesn't exist: Work                                        | REFUSED",
                "Dovecot  | TAGGED  | A4 NO [SERVERBUG] Internal error occurred. Refer to server log for more information. [2026-12-05 10:00:00] | REFUSED",
                "Dovecot  | APPEND  | A5 NO [OVERQUOTA] Quota exceeded (mailbox for user is full)                          | REFUSED",
                "Dovecot  | APPEND  | A5 BAD Error in IMAP command APPEND: Invalid arguments.                              | PROTOCOL",
                "Dovecot  | BYE     | * BYE Server shutting down.                                                          | THROTTLED",
                "Dovecot  | BYE     | * BYE Maximum number of connections from user+IP exceeded (mail_max_userip_connections=10) | THROTTLED",
                "Dovecot  | LOGIN   | A1 NO [AUTHENTICATIONFAILED] Authentication failed.                                  | AUTHENTICATION",
                // The same connection limit refused at login: not a wrong password, retried after a pause.
                "Dovecot  | LOGIN   | A1 NO [UNAVAILABLE] Maximum number of connections from user+IP exceeded (mail_max_userip_connections=10) | THROTTLED",
                "Dovecot  | TAGGED  | A4 NO [LIMIT] Too many commands                                                      | THROTTLED",
                // Exchange / Office 365
                "Exchange | TAGGED  | A4 NO Request is throttled. Suggested Backoff Time: 299609 milliseconds               | THROTTLED",
                "Exchange | APPEND  | A5 NO Request is throttled. Suggested Backoff Time: 2000 milliseconds                 | THROTTLED",
                "Exchange | BYE     | * BYE Connection closed. 14                                                          | THROTTLED",
                "Exchange | TAGGED  | A3 BAD User is authenticated but not connected.                                      | PROTOCOL",
                "Exchange | LOGIN   | A1 NO AUTHENTICATE failed.                                                           | AUTHENTICATION",
                // Gmail
                "Gmail    | BYE     | * BYE [OVERQUOTA] Account exceeded command or bandwidth limits.                      | THROTTLED",
                "Gmail    | LOGIN   | A1 NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)                           | AUTHENTICATION",
                // Gmail's 15-connection cap at login: not a wrong password.
                "Gmail    | LOGIN   | A1 NO [ALERT] Too many simultaneous connections. (Failure)                           | THROTTLED",
                "Gmail    | TAGGED  | A4 NO [ALERT] Too many simultaneous connections. (Failure)                           | THROTTLED",
                // The daily bandwidth cap as a tagged NO: the whole server waits, no attempt counts against a message.
                "Gmail    | TAGGED  | A4 NO [ALERT] Account exceeded command or bandwidth limits. (Failure)                | THROTTLED",
                "Gmail    | APPEND  | A5 NO [ALERT] Account exceeded command or bandwidth limits. (Failure)                | THROTTLED",
                // Zimbra
                "Zimbra   | APPEND  | A5 NO [TRYCREATE] APPEND failed: no such mailbox                                     | REFUSED",
                "Zimbra   | APPEND  | A5 NO APPEND failed: date out of range                                               | REFUSED",
                "Zimbra   | APPEND  | A5 BAD [TOOBIG] request too long                                                     | PROTOCOL",
                // GAP: Zimbra drops a throttled client without a word (ImapThrottledException "too many requests for
                // acct"):
                // only this mailbox backs off (nothing on the wire tells it from a dropped connection).
                "Zimbra   | DROPPED | Connection reset                                                                     | CONNECTION",
            })
    void classifierShouldNameWhatTheReplyMeansWhenARealServerSaysIt(
            String server, String how, String reply, ImapException.Kind expected) throws Exception {
        ImapException.Kind kind = switch (how) {
            case "APPEND" -> ImapErrorClassifier.kindOf(new Response(reply));
            case "LOGIN" ->
                ImapErrorClassifier.loginRefused(
                                "source server " + SERVER + " as u",
                                new AuthenticationFailedException(new Response(reply).getRest()),
                                SERVER)
                        .kind();
            default ->
                ImapErrorClassifier.classify("FETCH failed", angusFailure(how, reply), SERVER)
                        .kind();
        };

        assertThat(kind).as("%s %s: %s", server, how, reply).isEqualTo(expected);
    }

    @Test
    void classifierShouldKeepTheServerAndItsWordsWhenAFetchFails() throws Exception {
        ImapException e = ImapErrorClassifier.classify(
                "cannot fetch messages 1:4",
                angusFailure("TAGGED", "A4 NO Request is throttled.\r\n Suggested Backoff Time: 2000 milliseconds"),
                SERVER);

        assertThat(e.server()).isEqualTo(SERVER);
        assertThat(e.serverText()).doesNotContain("\r", "\n").contains("Suggested Backoff Time: 2000 milliseconds");
        assertThat(e.getMessage()).startsWith("cannot fetch messages 1:4: ");
    }

    @Test
    void loginRefusalShouldNameTheSessionAndNeverMoreThanTheServerSaid() {
        ImapException e = ImapErrorClassifier.loginRefused(
                "source server legacy.example:143 as anna",
                new AuthenticationFailedException("[AUTHENTICATIONFAILED] Authentication failed."),
                SERVER);

        assertThat(e.getMessage())
                .isEqualTo(
                        "login refused by source server legacy.example:143 as anna:"
                                + " [AUTHENTICATIONFAILED] Authentication failed. (check the login and password in the mailbox list)");
        assertThat(e.server()).isEqualTo(SERVER);
    }

    @Test
    void loginRefusedForAConnectionLimitShouldSayItIsRetriedNotAskForAPassword() {
        ImapException e = ImapErrorClassifier.loginRefused(
                "source server legacy.example:143 as anna",
                new AuthenticationFailedException("[UNAVAILABLE] Maximum number of connections from user+IP exceeded"),
                SERVER);

        assertThat(e.kind()).isEqualTo(ImapException.Kind.THROTTLED);
        assertThat(e.getMessage())
                .startsWith("login refused for now by source server legacy.example:143 as anna:")
                .contains("retried after a pause")
                .doesNotContain("check the login and password");
    }

    /** What Angus throws when {@code reply} ends a command it issued: a MessagingException around the protocol's. */
    private static MessagingException angusFailure(String how, String reply) {
        ProtocolException cause = switch (how) {
            case "BYE" -> new ConnectionException(null, new Response(reply));
            case "DROPPED" -> new ConnectionException(null, Response.byeResponse(new IOException(reply)));
            case "TAGGED" -> {
                Response r = new Response(reply);
                yield r.isBAD() ? new BadCommandException(r) : new CommandFailedException(r);
            }
            default -> throw new IllegalArgumentException(how);
        };
        return new MessagingException(cause.getMessage(), cause);
    }
}
