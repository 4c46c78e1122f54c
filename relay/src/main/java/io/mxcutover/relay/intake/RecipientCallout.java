package io.mxcutover.relay.intake;

import io.mxcutover.relay.route.NextHop;
import io.mxcutover.relay.route.Route;
import io.mxcutover.relay.route.RoutingTable;
import io.mxcutover.relay.smtp.AddressSyntax;
import io.mxcutover.relay.smtp.MailAddress;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recipient verification by callout, like Postfix's {@code reject_unverified_recipient}: asks the
 * domain's current target (legacy before cutover, new after) whether it would take RCPT TO for
 * the address, stopping before DATA, and caches the answer (positive 1 day, negative 3 hours;
 * temporary failures are not cached). Used only when the plan does not list a domain's mailboxes.
 * The probe's sender is {@code double-bounce@<hostname>}, not {@code <>}, because some servers
 * refuse null senders.
 */
public final class RecipientCallout {

    private static final Logger LOG = LoggerFactory.getLogger(RecipientCallout.class);

    public enum Result {
        VALID,
        UNKNOWN,
        TEMPFAIL
    }

    private record Cached(Result result, Instant until) {}

    private final String hostname;
    private final Duration timeout;
    private final Clock clock;
    private final Duration positiveTtl = Duration.ofDays(1);
    private final Duration negativeTtl = Duration.ofHours(3);
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public RecipientCallout(String hostname, Duration timeout, Clock clock) {
        this.hostname = hostname;
        this.timeout = timeout;
        this.clock = clock;
    }

    public Result verify(MailAddress address, RoutingTable table) {
        String key = address.canonical();
        Instant now = clock.instant();
        Cached c = cache.get(key);
        if (c != null && now.isBefore(c.until())) {
            return c.result();
        }
        Route route = Route.decide(address, table);
        Result result = Result.TEMPFAIL;
        for (NextHop target : route.targets()) {
            result = probe(target, address);
            if (result != Result.TEMPFAIL) {
                break;
            }
        }
        if (result == Result.VALID) {
            cache.put(key, new Cached(result, now.plus(positiveTtl)));
        } else if (result == Result.UNKNOWN) {
            cache.put(key, new Cached(result, now.plus(negativeTtl)));
        }
        if (cache.size() > 100_000) {
            cache.entrySet().removeIf(e -> !now.isBefore(e.getValue().until()));
        }
        return result;
    }

    private Result probe(NextHop target, MailAddress address) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(target.host(), target.port()), (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            if (reply(in) != 2) {
                return Result.TEMPFAIL;
            }
            java.util.List<String> ehlo = new java.util.ArrayList<>();
            out.write(("EHLO " + hostname + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (reply(in, ehlo) != 2) {
                return Result.TEMPFAIL;
            }
            boolean utf8 = !AddressSyntax.isAscii(address.toString());
            if (utf8
                    && ehlo.stream()
                            .noneMatch(l ->
                                    l.length() > 4 && l.substring(4).strip().equalsIgnoreCase("SMTPUTF8"))) {
                // Asking without SMTPUTF8 would send the address in another encoding: cannot tell.
                LOG.info(
                        "recipient callout to {} for <{}>: target does not offer SMTPUTF8, cannot verify",
                        target,
                        address);
                return Result.TEMPFAIL;
            }
            if (command(out, in, "MAIL FROM:<double-bounce@" + hostname + ">" + (utf8 ? " SMTPUTF8" : "")) != 2) {
                return Result.TEMPFAIL;
            }
            int rcpt = command(out, in, "RCPT TO:<" + address + ">");
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return rcpt == 2 ? Result.VALID : rcpt == 5 ? Result.UNKNOWN : Result.TEMPFAIL;
        } catch (IOException e) {
            LOG.info("recipient callout to {} for <{}> failed: {}", target, address, e.toString());
            return Result.TEMPFAIL;
        }
    }

    private static int command(OutputStream out, BufferedReader in, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return reply(in);
    }

    /** Reads a (possibly multi-line) reply; returns its class digit (2, 4, 5) or 0 on garbage. */
    private static int reply(BufferedReader in) throws IOException {
        return reply(in, new java.util.ArrayList<>());
    }

    private static int reply(BufferedReader in, java.util.List<String> text) throws IOException {
        for (int lines = 0; lines < 100; lines++) {
            String l = in.readLine();
            if (l != null) {
                text.add(l);
            }
            if (l == null || l.length() < 3) {
                return 0;
            }
            if (l.length() == 3 || l.charAt(3) != '-') {
                char c = l.charAt(0);
                return c >= '2' && c <= '5' ? c - '0' : 0;
            }
        }
        return 0;
    }
}
