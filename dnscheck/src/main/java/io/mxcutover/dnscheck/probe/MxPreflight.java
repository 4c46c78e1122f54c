package io.mxcutover.dnscheck.probe;

import io.mxcutover.dnscheck.poll.LookupOutcome;
import io.mxcutover.dnscheck.poll.NameServer;
import io.mxcutover.dnscheck.poll.ServerReply;
import io.mxcutover.dnscheck.propagation.MxHost;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Type;

/**
 * Before the MX is switched: does every new MX host resolve (A/AAAA, through a resolver) and
 * greet with 220 on the SMTP port? A switch to a host that does not answer makes senders
 * queue (or bounce after days) instead of reaching the new provider.
 */
public final class MxPreflight {

    private final DnsProbe probe;
    private final Duration connectTimeout;

    public MxPreflight(DnsProbe probe, Duration connectTimeout) {
        this.probe = Objects.requireNonNull(probe, "probe");
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
    }

    public List<PreflightResult> check(List<MxHost> hosts, NameServer resolver, int smtpPort) {
        List<CompletableFuture<PreflightResult>> checks = new ArrayList<>();
        for (MxHost host : hosts) {
            CompletableFuture<ServerReply> a = probe.ask(resolver, host.host(), Type.A);
            CompletableFuture<ServerReply> aaaa = probe.ask(resolver, host.host(), Type.AAAA);
            checks.add(a.thenCombine(aaaa, (r4, r6) -> new ServerReply[] {r4, r6})
                    .thenApplyAsync(replies -> checkHost(host.host(), resolver, replies, smtpPort)));
        }
        return checks.stream().map(CompletableFuture::join).toList();
    }

    private static List<String> addresses(ServerReply... replies) {
        List<String> result = new ArrayList<>();
        for (ServerReply reply : replies) {
            if (reply.outcome() instanceof LookupOutcome.NoError ne) {
                result.addAll(ne.answers());
            }
        }
        return result;
    }

    private PreflightResult checkHost(String host, NameServer resolver, ServerReply[] replies, int port) {
        List<String> addresses = addresses(replies);
        if (addresses.isEmpty()) {
            for (ServerReply reply : replies) {
                if (!reply.outcome().answered()) {
                    // No answer is not "no record": the host may well resolve; say so instead of blaming the zone.
                    return new PreflightResult(
                            host,
                            PreflightResult.Status.UNKNOWN,
                            addresses,
                            "cannot look up the addresses of " + host + " via " + resolver.label() + ": it answered "
                                    + reply.outcome().code());
                }
            }
            return new PreflightResult(
                    host,
                    PreflightResult.Status.NO_ADDRESS,
                    addresses,
                    host + " has no A or AAAA record: publish one before pointing the MX at it");
        }
        for (String address : addresses) {
            PreflightResult failure = greet(host, address, addresses, port);
            if (failure != null) {
                return failure;
            }
        }
        return new PreflightResult(
                host, PreflightResult.Status.OK, addresses, "every address greets with 220 on port " + port);
    }

    /** Null when the address greets with 220; otherwise the failure. */
    private PreflightResult greet(String host, String address, List<String> addresses, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(
                    new InetSocketAddress(InetAddress.getByName(address), port), (int) connectTimeout.toMillis());
            socket.setSoTimeout((int) connectTimeout.toMillis());
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String line = in.readLine();
            if (line == null || !line.startsWith("220")) {
                return new PreflightResult(
                        host,
                        PreflightResult.Status.BAD_GREETING,
                        addresses,
                        address + " port " + port + " greeted with '" + (line == null ? "" : line.strip())
                                + "' instead of 220: the server refuses mail");
            }
            // Multi-line greeting: 220-... lines, then "220 ".
            for (int i = 0; i < 50 && line != null && line.startsWith("220-"); i++) {
                line = in.readLine();
            }
            OutputStream out = socket.getOutputStream();
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return null;
        } catch (IOException e) {
            return new PreflightResult(
                    host,
                    PreflightResult.Status.NOT_LISTENING,
                    addresses,
                    address + " port " + port + " does not accept SMTP connections (" + e.getMessage()
                            + "): start the server or open the firewall");
        }
    }
}
