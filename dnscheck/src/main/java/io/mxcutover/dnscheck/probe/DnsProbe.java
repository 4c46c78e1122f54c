package io.mxcutover.dnscheck.probe;

import io.mxcutover.dnscheck.poll.LookupOutcome;
import io.mxcutover.dnscheck.poll.NameServer;
import io.mxcutover.dnscheck.poll.Observation;
import io.mxcutover.dnscheck.poll.Poll;
import io.mxcutover.dnscheck.poll.ServerReply;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;

/**
 * Asks one name server one question, or every server a domain's MX and TXT. Thread-safe;
 * owns its executor, so {@link #close()} it.
 */
public final class DnsProbe implements AutoCloseable {

    /**
     * {@code queryTimeout} per query (per leg: UDP and the TCP retry each get it);
     * {@code edns} false sends plain 512-byte DNS (tests use it to force truncation);
     * {@code maxInFlight} caps outstanding queries (each holds a socket).
     */
    public record Settings(Duration queryTimeout, boolean edns, int maxInFlight, int threads) {
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(3), true, 512, 4);

        public Settings {
            Objects.requireNonNull(queryTimeout, "queryTimeout");
            if (queryTimeout.isNegative() || queryTimeout.isZero()) {
                throw new IllegalArgumentException("queryTimeout must be positive");
            }
            if (maxInFlight < 1 || threads < 1) {
                throw new IllegalArgumentException("maxInFlight and threads must be at least 1");
            }
        }

        public Settings withQueryTimeout(Duration timeout) {
            return new Settings(timeout, edns, maxInFlight, threads);
        }

        public Settings withEdns(boolean on) {
            return new Settings(queryTimeout, on, maxInFlight, threads);
        }
    }

    private final Settings settings;
    private final ExecutorService executor;
    private final InFlightLimit limit;

    public DnsProbe(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.executor = Executors.newFixedThreadPool(settings.threads(), daemonThreads());
        this.limit = new InFlightLimit(settings.maxInFlight(), executor);
    }

    public Settings settings() {
        return settings;
    }

    /** Polls every server for the domain's MX and TXT, all in parallel; blocks until all are in. */
    public Poll poll(String domain, List<NameServer> servers, Clock clock) {
        var at = clock.instant();
        return new Poll(domain, at, observeAll(domain, servers).join());
    }

    public CompletableFuture<List<Observation>> observeAll(String domain, List<NameServer> servers) {
        List<CompletableFuture<Observation>> futures = new ArrayList<>();
        for (NameServer server : servers) {
            futures.add(observe(server, domain));
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .thenApply(
                        ignored -> futures.stream().map(CompletableFuture::join).toList());
    }

    public CompletableFuture<Observation> observe(NameServer server, String domain) {
        CompletableFuture<ServerReply> mx = ask(server, domain, Type.MX);
        CompletableFuture<ServerReply> txt = ask(server, domain, Type.TXT);
        return mx.thenCombine(txt, (m, t) -> new Observation(server, m, t));
    }

    /**
     * One question to one server. Never completes exceptionally: every failure is a
     * {@link LookupOutcome}.
     */
    public CompletableFuture<ServerReply> ask(NameServer server, String name, int type) {
        Message query;
        InetSocketAddress address;
        try {
            query = query(server, name, type);
            address = new InetSocketAddress(InetAddress.getByName(server.host()), server.port());
        } catch (TextParseException e) {
            return CompletableFuture.completedFuture(
                    ServerReply.of(new LookupOutcome.NetworkError("not a valid domain name: " + name)));
        } catch (UnknownHostException e) {
            return CompletableFuture.completedFuture(
                    ServerReply.of(new LookupOutcome.NetworkError("cannot resolve name server host " + server.host())));
        }
        long[] started = new long[1];
        boolean[] overTcp = new boolean[1];
        CompletableFuture<Message> response = limit.submit(() -> {
                    started[0] = System.nanoTime();
                    return resolver(address, false).sendAsync(query, executor);
                })
                .thenCompose(udp -> {
                    if (!udp.getHeader().getFlag(Flags.TC)) {
                        return CompletableFuture.completedFuture(udp);
                    }
                    overTcp[0] = true;
                    return limit.submit(() -> resolver(address, true).sendAsync(query.clone(), executor));
                });
        // Backstop: dnsjava applies the timeout per leg; this bounds UDP + TCP together.
        return response.orTimeout(
                        settings.queryTimeout().multipliedBy(2).plusSeconds(1).toMillis(), TimeUnit.MILLISECONDS)
                .handle((message, error) -> {
                    Duration latency = Duration.ofNanos(started[0] == 0 ? 0 : System.nanoTime() - started[0]);
                    if (error != null) {
                        return new ServerReply(failure(error), false, overTcp[0], latency);
                    }
                    return new ServerReply(
                            outcome(message, type), message.getHeader().getFlag(Flags.AA), overTcp[0], latency);
                });
    }

    private static Message query(NameServer server, String name, int type) throws TextParseException {
        Name qname = Name.fromString(name.endsWith(".") ? name : name + ".");
        Message query = Message.newQuery(Record.newRecord(qname, type, DClass.IN));
        if (server.authoritative()) {
            // newQuery sets RD; an authoritative server must answer from its zone, not recurse.
            query.getHeader().unsetFlag(Flags.RD);
        }
        return query;
    }

    private SimpleResolver resolver(InetSocketAddress address, boolean tcp) {
        SimpleResolver resolver = new SimpleResolver(address);
        resolver.setTimeout(settings.queryTimeout());
        resolver.setTCP(tcp);
        // We retry over TCP ourselves, to know that it happened.
        resolver.setIgnoreTruncation(true);
        if (!settings.edns()) {
            resolver.setEDNS(-1);
        }
        return resolver;
    }

    /** Maps a response to an outcome; pure, package-visible for tests. */
    static LookupOutcome outcome(Message response, int type) {
        int rcode = response.getRcode();
        if (rcode == Rcode.NOERROR) {
            List<Record> records = response.getSection(Section.ANSWER).stream()
                    .filter(r -> r.getType() == type)
                    .toList();
            if (records.isEmpty()) {
                return new LookupOutcome.NoData(negativeTtl(response));
            }
            long ttl = records.stream().mapToLong(Record::getTTL).min().orElse(0);
            return new LookupOutcome.NoError(
                    records.stream().map(DnsProbe::presentation).toList(), ttl);
        }
        if (rcode == Rcode.NXDOMAIN) {
            return new LookupOutcome.NxDomain(negativeTtl(response));
        }
        if (rcode == Rcode.SERVFAIL) {
            return new LookupOutcome.ServFail();
        }
        if (rcode == Rcode.REFUSED) {
            return new LookupOutcome.Refused();
        }
        return new LookupOutcome.NetworkError("unexpected response code " + Rcode.string(rcode));
    }

    /** RFC 2308 §5: the negative answer is cached for min(SOA TTL, SOA MINIMUM); 0 without SOA. */
    static long negativeTtl(Message response) {
        return response.getSection(Section.AUTHORITY).stream()
                .filter(SOARecord.class::isInstance)
                .map(SOARecord.class::cast)
                .mapToLong(soa -> Math.min(soa.getTTL(), soa.getMinimum()))
                .findFirst()
                .orElse(0);
    }

    static String presentation(Record record) {
        if (record instanceof MXRecord mx) {
            return mx.getPriority() + " " + hostName(mx.getTarget());
        }
        if (record instanceof TXTRecord txt) {
            // RFC 7208 §3.3: the character-strings of one TXT record are joined without spaces.
            return String.join("", txt.getStrings());
        }
        if (record instanceof NSRecord ns) {
            return hostName(ns.getTarget());
        }
        if (record instanceof ARecord a) {
            return a.getAddress().getHostAddress();
        }
        if (record instanceof AAAARecord aaaa) {
            return aaaa.getAddress().getHostAddress();
        }
        return record.rdataToString();
    }

    static String hostName(Name name) {
        String s = name.toString(true).toLowerCase(Locale.ROOT);
        return s.isEmpty() ? "." : s;
    }

    static LookupOutcome failure(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof TimeoutException || e instanceof SocketTimeoutException) {
            return new LookupOutcome.Timeout();
        }
        if (e instanceof PortUnreachableException) {
            return new LookupOutcome.NetworkError("port unreachable (no DNS server listening)");
        }
        if (e instanceof WireParseException) {
            return new LookupOutcome.NetworkError("malformed or mismatched reply: " + e.getMessage());
        }
        if (e instanceof IOException) {
            return new LookupOutcome.NetworkError(
                    e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        return new LookupOutcome.NetworkError(e.toString());
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(settings.queryTimeout().toMillis() * 2 + 1000, TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "dnscheck-probe-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
