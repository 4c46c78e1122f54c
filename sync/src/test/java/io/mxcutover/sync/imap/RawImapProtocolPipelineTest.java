package io.mxcutover.sync.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.angus.mail.iap.CommandFailedException;
import org.junit.jupiter.api.Test;

/**
 * The pipelined commands of {@link RawImapProtocol} against a scripted server that reads <em>every</em> command
 * before it answers any: a client that waited for each answer before sending the next command would never get
 * one (the test would time out), so passing proves the commands went out together; and the answers are matched
 * to their commands, a refusal of one is thrown only after all are read (the connection stays in step).
 */
class RawImapProtocolPipelineTest {
    /** A server that reads {@code expected} command lines, then writes what {@code answer} makes of them. */
    private static CompletableFuture<List<String>> serve(
            ServerSocket listener, int expected, Function<List<String>, String> answer, String afterwards) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket s = listener.accept()) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                out.write("* OK [CAPABILITY IMAP4rev1 LITERAL+] scripted\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                List<String> commands = new ArrayList<>();
                while (commands.size() < expected) {
                    commands.add(in.readLine());
                }
                out.write(answer.apply(commands).getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                String next = in.readLine(); // the client's next command, answered in step
                if (next != null) {
                    commands.add(next);
                    out.write((next.split(" ")[0] + " " + afterwards + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
                return commands;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static RawImapProtocol connect(ServerSocket listener) throws Exception {
        return ScriptedImap.connect(listener, RawImapProtocolPipelineTest.class);
    }

    private static String tag(String command) {
        return command.split(" ")[0];
    }

    @Test
    void statusAllShouldSendEveryStatusBeforeReadingAndMatchAnswersToFolders() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> server = serve(
                    listener,
                    3,
                    c -> "* STATUS INBOX (MESSAGES 3 UIDNEXT 4 UIDVALIDITY 7)\r\n" + tag(c.get(0)) + " OK done\r\n"
                            + tag(c.get(1)) + " NO [NONEXISTENT] no such folder\r\n"
                            + "* 5 EXISTS\r\n"
                            + "* STATUS Sent (MESSAGES 0 UIDNEXT 1 UIDVALIDITY 9)\r\n" + tag(c.get(2)) + " OK done\r\n",
                    "OK noop done");
            RawImapProtocol p = connect(listener);

            Map<String, RawImapProtocol.StatusAnswer> got =
                    p.statusAll(List.of("INBOX", "Gone", "Sent"), new String[] {"MESSAGES", "UIDNEXT", "UIDVALIDITY"});
            p.simpleCommand("NOOP", null);

            assertThat(got).containsOnlyKeys("INBOX", "Gone", "Sent");
            assertThat(got.get("INBOX").ok()).isTrue();
            assertThat(got.get("INBOX").status().total).isEqualTo(3);
            assertThat(got.get("INBOX").status().uidnext).isEqualTo(4);
            assertThat(got.get("Gone").ok()).isFalse();
            assertThat(got.get("Sent").status().uidvalidity).isEqualTo(9);
            assertThat(server.get(10, TimeUnit.SECONDS))
                    .extracting(c -> c.substring(c.indexOf(' ') + 1))
                    .containsExactly(
                            "STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY)",
                            "STATUS Gone (MESSAGES UIDNEXT UIDVALIDITY)",
                            "STATUS Sent (MESSAGES UIDNEXT UIDVALIDITY)",
                            "NOOP");
        }
    }

    @Test
    void createAllShouldSendEveryCreateAndSubscribeBeforeReadingAndReportOnlyTheCreatesAnsweredOk() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // Sent (subscribed), "new" (a name the server refuses), Archive (not subscribed), Drafts (there already).
            CompletableFuture<List<String>> server = serve(
                    listener,
                    6,
                    c -> tag(c.get(0)) + " OK Create completed.\r\n"
                            + tag(c.get(1)) + " OK Subscribe completed.\r\n"
                            + tag(c.get(2)) + " NO [CANNOT] Invalid mailbox name: Contains reserved name\r\n"
                            + tag(c.get(3)) + " NO [NONEXISTENT] Mailbox doesn't exist\r\n"
                            + "* 3 EXISTS\r\n"
                            + tag(c.get(4)) + " OK Create completed.\r\n"
                            + tag(c.get(5)) + " NO [ALREADYEXISTS] Mailbox already exists\r\n",
                    "OK noop done");
            RawImapProtocol p = connect(listener);

            List<String> created =
                    p.createAll(List.of("Sent", "new", "Archive", "Drafts"), java.util.Set.of("Sent", "new"));
            p.simpleCommand("NOOP", null); // every answer was read: the connection is in step

            assertThat(created).containsExactly("Sent", "Archive");
            assertThat(server.get(10, TimeUnit.SECONDS))
                    .extracting(c -> c.substring(c.indexOf(' ') + 1))
                    .containsExactly(
                            "CREATE Sent",
                            "SUBSCRIBE Sent",
                            "CREATE new",
                            "SUBSCRIBE new",
                            "CREATE Archive",
                            "CREATE Drafts",
                            "NOOP");
        }
    }

    @Test
    void createAllShouldThrowAConnectionErrorOnBye() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> server = serve(
                    listener,
                    2,
                    c -> tag(c.get(0)) + " OK Create completed.\r\n* BYE shutting down\r\n",
                    "OK noop done");
            RawImapProtocol p = connect(listener);

            assertThatThrownBy(() -> p.createAll(List.of("Sent", "Archive"), java.util.Set.of()))
                    .isInstanceOf(org.eclipse.angus.mail.iap.ConnectionException.class);
            p.disconnect();
            assertThat(server.get(10, TimeUnit.SECONDS)).hasSize(2);
        }
    }

    @Test
    void fetchSlicesPipelinedShouldPassEachBodyWithItsOriginAndThrowRefusalAfterReadingAll() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> server = serve(
                    listener,
                    3,
                    c -> "* 1 FETCH (UID 7 BODY[]<0> {4}\r\nabcd)\r\n" + tag(c.get(0)) + " OK done\r\n"
                            + tag(c.get(1)) + " NO slice refused\r\n"
                            + "* 1 FETCH (UID 7 BODY[]<8> {2}\r\nij)\r\n" + tag(c.get(2)) + " OK done\r\n",
                    "OK noop done");
            RawImapProtocol p = connect(listener);
            List<String> bodies = new ArrayList<>();

            assertThatThrownBy(() -> p.fetchSlicesPipelined(
                            List.of(
                                    "UID FETCH 7 (UID BODY.PEEK[]<0.4>)",
                                    "UID FETCH 7 (UID BODY.PEEK[]<4.4>)",
                                    "UID FETCH 7 (UID BODY.PEEK[]<8.4>)"),
                            (uid, origin, b, off, len) -> bodies.add(
                                    origin + ":" + uid + ":" + new String(b, off, len, StandardCharsets.US_ASCII))))
                    .isInstanceOf(CommandFailedException.class)
                    .hasMessageContaining("slice refused");
            p.simpleCommand("NOOP", null); // the third answer was read: the connection is in step

            assertThat(bodies).containsExactly("0:7:abcd");
            assertThat(server.get(10, TimeUnit.SECONDS)).hasSize(4);
        }
    }

    /**
     * Dovecot runs pipelined UID FETCHes side by side: the bodies of later commands come before the tagged OK of the
     * first (its rawlog showed slices 0-3, then four OKs, then slices 4-5, two OKs, slice 6). Each body must come
     * with the origin the server gave it, whatever command is still open when it arrives.
     */
    @Test
    void fetchSlicesPipelinedShouldPassOriginWhenServerAnswersCommandsSideBySide() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> server = serve(
                    listener,
                    3,
                    c -> "* 1 FETCH (UID 7 BODY[]<0> {4}\r\nabcd)\r\n"
                            + "* 1 FETCH (UID 7 BODY[]<4> {4}\r\nefgh)\r\n"
                            + tag(c.get(0)) + " OK done\r\n" + tag(c.get(1)) + " OK done\r\n"
                            + "* 1 FETCH (UID 7 FLAGS (\\Seen))\r\n"
                            + "* 1 FETCH (UID 7 BODY[]<8> {2}\r\nij)\r\n" + tag(c.get(2)) + " OK done\r\n",
                    "OK noop done");
            RawImapProtocol p = connect(listener);
            List<String> bodies = new ArrayList<>();

            p.fetchSlicesPipelined(
                    List.of(
                            "UID FETCH 7 (UID BODY.PEEK[]<0.4>)",
                            "UID FETCH 7 (UID BODY.PEEK[]<4.4>)",
                            "UID FETCH 7 (UID BODY.PEEK[]<8.4>)"),
                    (uid, origin, b, off, len) ->
                            bodies.add(origin + ":" + uid + ":" + new String(b, off, len, StandardCharsets.US_ASCII)));
            p.simpleCommand("NOOP", null); // every answer was read: the connection is in step

            assertThat(bodies).containsExactly("0:7:abcd", "4:7:efgh", "8:7:ij");
            assertThat(server.get(10, TimeUnit.SECONDS)).hasSize(4);
        }
    }

    /** A STATUS line Angus's parser reads to its end, and those it would loop on for ever (a cut or garbled line). */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(
            delimiter = ';',
            value = {
                "* STATUS INBOX (MESSAGES 3 UIDNEXT 4 UIDVALIDITY 7); true",
                "* STATUS \"Sent Items\" (MESSAGES 0 UIDNEXT 1 UIDVALIDITY 9 HIGHESTMODSEQ 12345678901); true",
                "* STATUS \"Archiv (alt)\" (MESSAGES 2); true",
                "* STATUS {5}|Mails (MESSAGES 2); true",
                "* STATUS INBOX (); true",
                "* STATUS INBOX (X-GM-THRID 5 MESSAGES 1); true",
                "* STATUS INBOX (MESSAGES 3 UIDNEXT; false",
                "* STATUS INBOX (MESSAGES 3 (UIDNEXT 4); false",
                "* STATUS INBOX (MESSAGES 3 UIDNEXT 4) trailing; false",
                "* STATUS INBOX MESSAGES 3; false",
                "* STATUS INBOX (MESSAGES \u00e9 3); false",
                "* STATUS; false",
            })
    void statusParsableShouldAcceptOnlyLinesAngusParsesToTheirEnd(String line, boolean parsable) throws Exception {
        org.eclipse.angus.mail.imap.protocol.IMAPResponse r =
                new org.eclipse.angus.mail.imap.protocol.IMAPResponse(line.replace("|", "\r\n"));

        assertThat(RawImapProtocol.statusParsable(r)).isEqualTo(parsable);
        if (parsable) {
            new org.eclipse.angus.mail.imap.protocol.Status(r); // and Angus does parse it (returns)
        }
    }

    /**
     * A garbled STATUS line from a hostile or broken server: the pipelined STATUS and the single one both return
     * (before, Angus's parser spun at full CPU for ever: a chaos-proxy pass hung 40 s), the folder with no answer.
     */
    @Test
    void statusShouldReturnWithoutAnAnswerWhenTheStatusLineIsGarbled() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> server = serve(
                    listener,
                    2,
                    c -> "* STATUS INBOX (MESSAGES 3 (UIDNEXT 4)\r\n" + tag(c.get(0)) + " OK done\r\n"
                            + "* STATUS Sent (MESSAGES 0 UIDNEXT 1 UIDVALIDITY 9)\r\n" + tag(c.get(1)) + " OK done\r\n",
                    "OK noop done");
            RawImapProtocol p = connect(listener);

            Map<String, RawImapProtocol.StatusAnswer> got = CompletableFuture.supplyAsync(() -> {
                        try {
                            return p.statusAll(List.of("INBOX", "Sent"), new String[] {"MESSAGES", "UIDNEXT"});
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .get(10, TimeUnit.SECONDS);

            assertThat(got.get("INBOX").ok()).isTrue();
            assertThat(got.get("INBOX").status())
                    .as("no STATUS answer for the garbled line")
                    .isNull();
            assertThat(got.get("Sent").status().uidvalidity).isEqualTo(9);
            p.simpleCommand("NOOP", null);
            assertThat(server.get(10, TimeUnit.SECONDS)).hasSize(3);
        }
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> server = serve(
                    listener,
                    1,
                    c -> "* STATUS INBOX (MESSAGES 3 (UIDNEXT\r\n" + tag(c.get(0)) + " OK done\r\n",
                    "OK noop done");
            RawImapProtocol p = connect(listener);

            Object one = CompletableFuture.supplyAsync(() -> {
                        try {
                            return java.util.Optional.ofNullable(p.status("INBOX", new String[] {"MESSAGES"}));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .get(10, TimeUnit.SECONDS);

            assertThat(one).isEqualTo(java.util.Optional.empty());
            p.simpleCommand("NOOP", null);
            assertThat(server.get(10, TimeUnit.SECONDS)).hasSize(2);
        }
    }

    /** NAMESPACE, LSUB and LIST go out together; the answers, in any order, land where they belong. */
    @Test
    void listAllShouldSendNamespaceLsubAndListTogetherAndSortTheAnswers() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> server = serve(
                    listener,
                    3,
                    c -> "* LSUB (\\Sent) \".\" INBOX.Sent\r\n"
                            + "* NAMESPACE ((\"INBOX.\" \".\")) NIL NIL\r\n"
                            + tag(c.get(0)) + " OK namespace done\r\n"
                            + "* LIST (\\HasChildren) \".\" INBOX\r\n"
                            + "* LIST (\\HasNoChildren \\Noselect) \".\" INBOX.Archiv\r\n"
                            + "* LIST (\\HasNoChildren \\Sent) \".\" \"INBOX.Gel&APY-scht\"\r\n"
                            + tag(c.get(2)) + " OK list done\r\n"
                            + tag(c.get(1)) + " OK lsub done\r\n",
                    "OK noop done");
            RawImapProtocol p = connect(listener);

            RawImapProtocol.Listing l = p.listAll(true);

            assertThat(l.namespaces().personal[0].prefix).isEqualTo("INBOX.");
            assertThat(l.namespaces().personal[0].delimiter).isEqualTo('.');
            assertThat(l.subscribed()).extracting(li -> li.name).containsExactly("INBOX.Sent");
            assertThat(l.all()).extracting(li -> li.name).containsExactly("INBOX", "INBOX.Archiv", "INBOX.Gelöscht");
            assertThat(l.all().get(1).canOpen).isFalse();
            p.simpleCommand("NOOP", null);
            List<String> commands = server.get(10, TimeUnit.SECONDS);
            assertThat(commands.subList(0, 3))
                    .extracting(c -> c.substring(c.indexOf(' ') + 1))
                    .containsExactly("NAMESPACE", "LSUB \"\" \"*\"", "LIST \"\" \"*\"");
        }
    }

    /**
     * A refused NAMESPACE is no namespace (the caller asks the old way), a refused LSUB lists nothing, as Angus's
     * own; a garbled LIST line fails the listing after every answer is read, so the next command is in step.
     */
    @Test
    void listAllShouldReportRefusalsAsAngusDoesAndStayInStepOnAGarbledLine() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> server = serve(
                    listener,
                    3,
                    c -> tag(c.get(0)) + " NO no namespace here\r\n"
                            + tag(c.get(1)) + " NO no subscriptions\r\n"
                            + "* LIST (\\HasNoChildren) \".\" INBOX\r\n"
                            + tag(c.get(2)) + " OK list done\r\n",
                    "OK noop done");
            RawImapProtocol p = connect(listener);

            RawImapProtocol.Listing l = p.listAll(true);

            assertThat(l.namespaces()).isNull();
            assertThat(l.subscribed()).isEmpty();
            assertThat(l.all()).extracting(li -> li.name).containsExactly("INBOX");
            p.simpleCommand("NOOP", null);
            assertThat(server.get(10, TimeUnit.SECONDS)).hasSize(4);
        }
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> server = serve(
                    listener,
                    2,
                    c -> "* LIST (\\HasNoChildren \".\" INBOX\r\n"
                            + tag(c.get(0)) + " OK lsub done\r\n"
                            + tag(c.get(1)) + " OK list done\r\n",
                    "OK noop done");
            RawImapProtocol p = connect(listener);

            assertThatThrownBy(() -> p.listAll(false))
                    .isInstanceOf(org.eclipse.angus.mail.iap.ParsingException.class)
                    .hasMessageContaining("folder listing");
            p.simpleCommand("NOOP", null);
            assertThat(server.get(10, TimeUnit.SECONDS)).hasSize(3);
        }
    }
}
