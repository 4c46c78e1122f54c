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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.angus.mail.iap.CommandFailedException;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.junit.jupiter.api.Test;

/**
 * The round trips {@link RawImapProtocol} saves: a CLOSE or UNSELECT held back until a command needs it (never sent
 * before the next SELECT, EXAMINE or LOGOUT), and body FETCHes sent two at a time. The scripted server answers
 * only once it has read the commands the client is meant to have sent together: a client that waited for each
 * answer would get none and time out.
 */
class RawImapProtocolTurnsTest {
    /**
     * A server that, after each command line it reads, writes what {@code answer} makes of every line so far (an
     * empty string holds the answer back). Returns the lines it read, tags removed.
     */
    private static CompletableFuture<List<String>> serve(ServerSocket listener, Function<List<String>, String> answer) {
        return serve(listener, "* OK [CAPABILITY IMAP4rev1 LITERAL+ UNSELECT] scripted", answer);
    }

    private static CompletableFuture<List<String>> serve(
            ServerSocket listener, String greeting, Function<List<String>, String> answer) {
        return CompletableFuture.supplyAsync(() -> {
            List<String> lines = new ArrayList<>();
            try (Socket s = listener.accept()) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                out.write((greeting + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                    out.write(answer.apply(lines).getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    if (line.contains(" LOGOUT")) {
                        break;
                    }
                }
            } catch (IOException e) {
                // the client hung up: the lines so far are the answer
            }
            return lines.stream().map(l -> l.substring(l.indexOf(' ') + 1)).toList();
        });
    }

    private static RawImapProtocol connect(ServerSocket listener) throws Exception {
        return ScriptedImap.connect(listener, RawImapProtocolTurnsTest.class);
    }

    private static String tag(String line) {
        return line.split(" ")[0];
    }

    /** Answers every command at once, as a server in step would; the first CLOSE is refused. */
    private static String inStep(List<String> lines) {
        String line = lines.get(lines.size() - 1);
        String verb = line.split(" ")[1];
        boolean firstClose = verb.equals("CLOSE")
                && lines.stream().filter(l -> l.split(" ")[1].equals("CLOSE")).count() == 1;
        return switch (verb) {
            case "EXAMINE", "SELECT" ->
                "* FLAGS (\\Seen)\r\n* 2 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n" + tag(line) + " OK done\r\n";
            case "STATUS" -> "* STATUS A (MESSAGES 2)\r\n" + tag(line) + " OK done\r\n";
            case "CLOSE" -> firstClose ? "* 3 EXISTS\r\n" + tag(line) + " NO not now\r\n" : tag(line) + " OK done\r\n";
            case "LOGOUT" -> "* BYE bye\r\n" + tag(line) + " OK done\r\n";
            case "CAPABILITY" -> "* CAPABILITY IMAP4rev1 LITERAL+ UNSELECT\r\n" + tag(line) + " OK done\r\n";
            default -> tag(line) + " OK done\r\n";
        };
    }

    @Test
    void closeAfterExamineAndUnselectShouldWaitForTheNextCommandAndBeDroppedBeforeSelectExamineOrLogout()
            throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> server = serve(listener, RawImapProtocolTurnsTest::inStep);
            RawImapProtocol p = connect(listener);

            p.examine("A");
            p.close();
            assertThat(p.deselectPending()).isTrue();
            p.examine("B"); // leaves A by itself: no CLOSE
            p.close();
            org.eclipse.angus.mail.imap.protocol.Status st = p.status("A", new String[] {"MESSAGES"});
            assertThat(st.total).isEqualTo(2); // the CLOSE went first, refused; its NO and EXISTS were not ours
            p.select("C");
            p.close(); // a CLOSE after SELECT expunges: sent at once
            assertThat(p.deselectPending()).isFalse();
            p.select("D");
            p.unselect();
            assertThat(p.deselectPending()).isTrue();
            p.select("E");
            p.unselect();
            p.logout();

            assertThat(server.get(10, TimeUnit.SECONDS))
                    .containsExactly(
                            "EXAMINE A",
                            "EXAMINE B",
                            "CLOSE",
                            "STATUS A (MESSAGES)",
                            "SELECT C",
                            "CLOSE",
                            "SELECT D",
                            "SELECT E",
                            "LOGOUT");
        }
    }

    @Test
    void unselectHeldBackShouldGoOutBeforeAnyOtherCommand() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> server = serve(listener, RawImapProtocolTurnsTest::inStep);
            RawImapProtocol p = connect(listener);

            p.select("A");
            p.unselect();
            p.simpleCommand("NOOP", null);
            p.logout();

            assertThat(server.get(10, TimeUnit.SECONDS)).containsExactly("SELECT A", "UNSELECT", "NOOP", "LOGOUT");
        }
    }

    private static String body(int seq, long uid, String text) {
        return "* " + seq + " FETCH (UID " + uid + " BODY[] {" + text.length() + "}\r\n" + text + ")\r\n";
    }

    /** The commands of {@code FETCHES}, each after {@code beforeWrite} has seen its index. */
    private static RawImapProtocol.CommandSource fetches(RawImapProtocol.CommandStep beforeWrite) {
        return i -> {
            if (i >= FETCHES.size()) {
                return null;
            }
            beforeWrite.run(i);
            return FETCHES.get(i);
        };
    }

    private static final List<String> FETCHES = List.of(
            "UID FETCH 1 (UID BODY.PEEK[])",
            "UID FETCH 2 (UID BODY.PEEK[])",
            "UID FETCH 3 (UID BODY.PEEK[])",
            "UID FETCH 4 (UID BODY.PEEK[])");

    @Test
    void fetchBodiesWindowedShouldKeepTwoFetchesAtTheServerAndHandEachOnInOrder() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // The first answer only once two FETCHes are in; the next only once the third is in; a body of the second
            // comes before the first one's tagged answer (Dovecot runs pipelined FETCHes side by side).
            CompletableFuture<List<String>> server = serve(listener, lines -> switch (lines.size()) {
                case 1 -> "";
                case 2 -> body(1, 1, "one") + body(2, 2, "two") + tag(lines.get(0)) + " OK done\r\n";
                case 3 -> tag(lines.get(1)) + " OK done\r\n";
                case 4 ->
                    body(3, 3, "three") + tag(lines.get(2)) + " OK done\r\n" + body(4, 4, "four") + tag(lines.get(3))
                            + " OK done\r\n";
                default -> inStep(lines);
            });
            RawImapProtocol p = connect(listener);
            List<String> events = new ArrayList<>();

            p.fetchBodiesWindowed(
                    fetches(i -> events.add("write " + i)),
                    2,
                    (uid, b) -> events.add("body " + uid + " " + new String(b, StandardCharsets.US_ASCII)),
                    i -> events.add("answered " + i));
            p.simpleCommand("NOOP", null);
            p.disconnect();

            assertThat(events)
                    .containsExactly(
                            "write 0",
                            "write 1",
                            "body 1 one",
                            "body 2 two",
                            "answered 0",
                            "write 2",
                            "answered 1",
                            "write 3",
                            "body 3 three",
                            "answered 2",
                            "body 4 four",
                            "answered 3");
            assertThat(server.get(10, TimeUnit.SECONDS)).endsWith("NOOP");
        }
    }

    @Test
    void fetchBodiesWindowedShouldHandOnWhatCameBeforeARefusalAndReadEveryAnswerBeforeThrowing() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> server = serve(listener, lines -> switch (lines.size()) {
                case 1 -> "";
                case 2 -> body(1, 1, "one") + tag(lines.get(0)) + " OK done\r\n";
                case 3 ->
                    tag(lines.get(1)) + " NO [SERVERBUG] cannot\r\n" + body(3, 3, "three") + tag(lines.get(2))
                            + " OK done\r\n";
                default -> inStep(lines);
            });
            RawImapProtocol p = connect(listener);
            List<String> answered = new ArrayList<>();
            List<Integer> written = new ArrayList<>();

            assertThatThrownBy(() -> p.fetchBodiesWindowed(
                            fetches(written::add), 2, (uid, b) -> {}, i -> answered.add("answered " + i)))
                    .isInstanceOf(CommandFailedException.class)
                    .hasMessageContaining("cannot");
            p.simpleCommand("NOOP", null); // the third answer was read: in step
            p.disconnect();

            assertThat(answered).containsExactly("answered 0");
            assertThat(written).containsExactly(0, 1, 2); // nothing after the refusal
            assertThat(server.get(10, TimeUnit.SECONDS))
                    .containsExactly(FETCHES.get(0), FETCHES.get(1), FETCHES.get(2), "NOOP");
        }
    }

    @Test
    void fetchBodiesWindowedShouldStopSendingWhenTheReceiverFailsAndStillReadWhatIsDue() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> server = serve(listener, lines -> switch (lines.size()) {
                case 1 -> "";
                case 2 ->
                    body(1, 1, "one") + tag(lines.get(0)) + " OK done\r\n" + body(2, 2, "two") + tag(lines.get(1))
                            + " OK done\r\n";
                default -> inStep(lines);
            });
            RawImapProtocol p = connect(listener);
            List<Integer> written = new ArrayList<>();

            assertThatThrownBy(() -> p.fetchBodiesWindowed(fetches(written::add), 2, (uid, b) -> {}, i -> {
                        throw new ProtocolException("the copy was cancelled");
                    }))
                    .hasMessage("the copy was cancelled");
            p.simpleCommand("NOOP", null);
            p.disconnect();

            assertThat(written).containsExactly(0, 1);
            assertThat(server.get(10, TimeUnit.SECONDS)).containsExactly(FETCHES.get(0), FETCHES.get(1), "NOOP");
        }
    }

    @Test
    void pipelinedCommandsShouldBeWrittenTogetherAndEachAnswerKeptForItsReader() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> server = serve(listener, lines -> switch (lines.size()) {
                case 1 -> "";
                case 2 ->
                    "* 3 EXISTS\r\n" + tag(lines.get(0)) + " OK [APPENDUID 7 1] done\r\n" + tag(lines.get(1))
                            + " NO [OVERQUOTA] full\r\n";
                default -> inStep(lines);
            });
            RawImapProtocol p = connect(listener);

            String first = p.writePipelined("CHECK", null);
            String second = p.writePipelined("CHECK", null);
            org.eclipse.angus.mail.iap.Response[] secondAnswer = p.readPipelined(second); // reads the first's too
            org.eclipse.angus.mail.iap.Response[] firstAnswer = p.readPipelined(first);
            p.simpleCommand("NOOP", null);
            p.disconnect();

            assertThat(secondAnswer).hasSize(1);
            assertThat(secondAnswer[0].isNO()).isTrue();
            assertThat(firstAnswer).hasSize(2);
            assertThat(firstAnswer[0].toString()).isEqualTo("* 3 EXISTS");
            assertThat(firstAnswer[1].toString()).contains("APPENDUID 7 1");
            assertThatThrownBy(() -> p.readPipelined(first)).hasMessageContaining("no answer is due");
            assertThat(server.get(10, TimeUnit.SECONDS)).containsExactly("CHECK", "CHECK", "NOOP");
        }
    }

    @Test
    void anotherCommandShouldReadAPipelinedAnswerFirstAndKeepIt() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> server = serve(listener, RawImapProtocolTurnsTest::inStep);
            RawImapProtocol p = connect(listener);

            String append = p.writePipelined("CHECK", null);
            p.simpleCommand("NOOP", null); // would take the CHECK's answer as its own if it did not read it first
            org.eclipse.angus.mail.iap.Response[] answer = p.readPipelined(append);
            p.writePipelined("CHECK", null);
            p.logout(); // an answer still due does not hold the logout up

            assertThat(answer[answer.length - 1].getTag()).isEqualTo(append);
            assertThat(answer[answer.length - 1].isOK()).isTrue();
            assertThat(server.get(10, TimeUnit.SECONDS)).containsExactly("CHECK", "NOOP", "CHECK", "LOGOUT");
        }
    }

    @Test
    void statusWithoutItemsShouldAskForAngusStandardItems() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> server = serve(listener, RawImapProtocolTurnsTest::inStep);
            RawImapProtocol p = connect(listener);

            org.eclipse.angus.mail.imap.protocol.Status st = p.status("A", null);
            p.logout();

            assertThat(st.total).isEqualTo(2);
            assertThat(server.get(10, TimeUnit.SECONDS))
                    .containsExactly("STATUS A (MESSAGES RECENT UNSEEN UIDNEXT UIDVALIDITY)", "LOGOUT");
        }
    }

    /**
     * A greeting without capabilities (GreenMail's, many servers'): Angus's constructor asks for them, through this
     * class's command path, before this class's fields exist. It once failed every such login with a
     * NullPointerException (a clean-clone CI run of 2f7bd4c: the demo and the one-shot CLI tests).
     */
    @Test
    void greetingWithoutCapabilitiesShouldStillConnect() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> server = serve(listener, "* OK ready", RawImapProtocolTurnsTest::inStep);
            RawImapProtocol p = connect(listener);

            p.select("A");
            p.unselect();
            p.logout();

            assertThat(p.hasCapability("UNSELECT")).isTrue();
            assertThat(server.get(10, TimeUnit.SECONDS)).containsExactly("CAPABILITY", "SELECT A", "LOGOUT");
        }
    }
}
