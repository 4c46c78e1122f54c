package io.mxcutover.appliance.probe;

import io.mxcutover.appliance.cutover.AdminText;
import io.mxcutover.appliance.plan.DomainPlan;
import io.mxcutover.appliance.plan.PlanHostPort;
import io.mxcutover.appliance.plan.PlanImapUrl;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Probes the new server the way a client first meets it: TCP connect, (TLS handshake for imaps), then the
 * greeting, {@code * OK} / {@code * PREAUTH} for IMAP (RFC 9051 §7.1). For SMTP a greeting proves little
 * (a server that is not yet set up for the domain greets with {@code 220} and then refuses every
 * recipient), so the SMTP probe goes on as a sender would, without sending anything: EHLO, {@code MAIL
 * FROM:<>}, {@code RCPT TO:<postmaster@domain>} (every domain must accept its postmaster, RFC 5321 §4.5.1),
 * QUIT. It never authenticates and never sends DATA. Every step has a timeout, and a line longer than 512
 * bytes is cut, so a silent or babbling peer cannot hold a request.
 */
public final class GreetingProbe implements ProbeSource {

    private static final int MAX_LINE = 512;

    private final Duration connectTimeout;
    private final Duration readTimeout;

    private final String heloName;

    public GreetingProbe(Duration connectTimeout, Duration readTimeout) {
        this(connectTimeout, readTimeout, "localhost");
    }

    /** {@code heloName}: the name the SMTP probe gives in EHLO (the relay's own host name). */
    public GreetingProbe(Duration connectTimeout, Duration readTimeout, String heloName) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.heloName = heloName;
    }

    @Override
    public ProbeResult newSmtp(DomainPlan domain) {
        List<PlanHostPort> hops = domain.target().smtp();
        if (hops.isEmpty()) {
            return ProbeResult.unreachable("no new.smtp next hop in the plan for " + domain.name());
        }
        // The relay tries the hops in order; one that takes the domain's mail is enough for mail to flow.
        List<String> failures = new ArrayList<>();
        for (PlanHostPort hop : hops) {
            String outcome = acceptsMail(hop.host(), hop.port(), domain.name());
            if (outcome.startsWith("+")) {
                return ProbeResult.reachable(outcome.substring(1));
            }
            failures.add(outcome.substring(1));
        }
        return ProbeResult.unreachable(String.join("; ", failures));
    }

    @Override
    public ProbeResult newImap(DomainPlan domain) {
        if (domain.target().imap().isEmpty()) {
            return ProbeResult.unreachable("no new.imap server in the plan for " + domain.name());
        }
        PlanImapUrl imap = domain.target().imap().get();
        String outcome = greet(imap.host(), imap.port(), imap.implicitTls(), "* OK|* PREAUTH", "a1 LOGOUT");
        return outcome.startsWith("+")
                ? ProbeResult.reachable(outcome.substring(1))
                : ProbeResult.unreachable(outcome.substring(1));
    }

    /**
     * "+detail" when the server at {@code host:port} takes {@code postmaster@domain} after a null sender,
     * "-detail" otherwise. A 4xx to RCPT is "-" too: the server does not take the domain's mail now.
     */
    private String acceptsMail(String host, int port, String domain) {
        String where = host + ":" + port;
        String rcpt = "RCPT TO:<postmaster@" + domain + ">";
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            socket.setSoTimeout((int) readTimeout.toMillis());
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            String greeting = SmtpProbeClient.readReply(in);
            if (!greeting.startsWith("220")) {
                return "-" + where + " greeted with '" + greeting + "' instead of 220";
            }
            String ehlo = smtp(out, in, "EHLO " + heloName);
            if (!ehlo.startsWith("2") && !smtp(out, in, "HELO " + heloName).startsWith("2")) {
                return "-" + where + " answered '" + ehlo + "' to EHLO and HELO " + heloName;
            }
            String mail = smtp(out, in, "MAIL FROM:<>");
            if (!mail.startsWith("2")) {
                return "-" + where + " answered '" + mail + "' to MAIL FROM:<> (bounces could not reach " + domain
                        + "'s users); the new server must accept the null sender";
            }
            String answer = smtp(out, in, rcpt);
            sayGoodbye(out, "QUIT");
            if (answer.startsWith("2")) {
                return "+" + where + " answered " + firstLineOf(greeting) + " and takes mail for " + domain + " ("
                        + rcpt + ": " + answer + ")";
            }
            return "-" + where + " does not take mail for " + domain + ": " + rcpt + " answered '" + answer + "'"
                    + (answer.startsWith("4")
                            ? " (temporary; try again)"
                            : "; set the new server up to accept " + domain
                                    + " (its virtual/accepted domains) before go-live");
        } catch (SocketTimeoutException e) {
            return "-" + where + ": no answer within the timeout (" + AdminText.span(connectTimeout) + " connect, "
                    + AdminText.span(readTimeout) + " per reply); check the firewall and that the server runs";
        } catch (IOException | RuntimeException e) {
            return "-" + where + ": " + describe(e);
        }
    }

    private static String smtp(OutputStream out, InputStream in, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return SmtpProbeClient.readReply(in);
    }

    private static String firstLineOf(String reply) {
        int join = reply.indexOf(" / ");
        return join < 0 ? reply : reply.substring(0, join);
    }

    /** "+detail" when the greeting starts with one of {@code expected} ('|'-separated), "-detail" otherwise. */
    private String greet(String host, int port, boolean tls, String expected, String goodbye) {
        String where = host + ":" + port;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            socket.setSoTimeout((int) readTimeout.toMillis());
            Socket s = socket;
            if (tls) {
                SSLSocket ssl = (SSLSocket)
                        ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(socket, host, port, true);
                ssl.startHandshake();
                s = ssl;
            }
            String greeting = firstLine(s.getInputStream());
            for (String prefix : expected.split("\\|")) {
                if (greeting.startsWith(prefix)) {
                    sayGoodbye(s.getOutputStream(), goodbye);
                    return "+" + where + " answered " + greeting;
                }
            }
            return "-" + where + " greeted with '" + greeting + "' instead of " + expected.replace("|", " or ");
        } catch (SocketTimeoutException e) {
            return "-" + where + ": no answer within the timeout (" + AdminText.span(connectTimeout) + " connect, "
                    + AdminText.span(readTimeout) + " greeting); check the firewall and that the server runs";
        } catch (IOException | RuntimeException e) {
            return "-" + where + ": " + describe(e);
        }
    }

    private static String firstLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int i = 0; i < MAX_LINE; i++) {
            int b = in.read();
            if (b < 0 || b == '\n') {
                break;
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII).strip();
    }

    private static void sayGoodbye(OutputStream out, String goodbye) {
        try {
            out.write((goodbye + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            // The greeting already proved the server answers; a closed socket at goodbye does not matter.
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        String kind = e.getClass().getSimpleName();
        if (e instanceof java.net.ConnectException) {
            return "connection refused" + (message == null ? "" : " (" + message + ")")
                    + "; check that the server runs and listens on that port";
        }
        if (e instanceof java.net.UnknownHostException) {
            return "unknown host; check new.smtp / new.imap in the plan and DNS";
        }
        if (e instanceof javax.net.ssl.SSLException) {
            return "TLS handshake failed: " + message + "; check the server's certificate";
        }
        return kind + (message == null ? "" : ": " + message);
    }
}
