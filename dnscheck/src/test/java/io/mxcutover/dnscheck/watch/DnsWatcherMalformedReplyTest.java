package io.mxcutover.dnscheck.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mxcutover.dnscheck.poll.NameServer;
import io.mxcutover.dnscheck.poll.Observation;
import io.mxcutover.dnscheck.poll.Poll;
import io.mxcutover.dnscheck.probe.DnsProbe;
import io.mxcutover.dnscheck.propagation.ExpectedMx;
import io.mxcutover.dnscheck.propagation.MxView;
import io.mxcutover.dnscheck.propagation.ServerStatus;
import io.mxcutover.dnscheck.propagation.Verdict;
import io.mxcutover.dnscheck.spf.SpfExpectation;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Hostile DNS input (issue 14): a small UDP server on 127.0.0.1 answers every query of the watcher
 * with a malformed reply (cut short, another query id, another question, random bytes), chosen
 * at random from a printed seed ({@code -Ddns.fuzz.seed=N} replays it). Each reply carries, once
 * repaired, exactly the MX set the watcher expects: a watcher that took any of them for an answer
 * would call the domain PROPAGATED. It must see every server as FAILED (no usable answer), report
 * ERROR with the reason, keep polling on its schedule, and go to PROPAGATED as soon as the server
 * answers properly.
 */
class DnsWatcherMalformedReplyTest {

    /** How a reply is broken. */
    enum Fault {
        /** The first bytes only (no TC flag): the parser runs out of message. */
        TRUNCATED,
        /** Query id + 1: a reply to some other query. */
        WRONG_ID,
        /** The answer to another name (the question section names another domain). */
        WRONG_QUESTION,
        /** The right id, then random bytes. */
        GARBAGE,
        /** A correct reply (only after {@link HostileDnsServer#heal}). */
        NONE
    }

    static final String DOMAIN = "hostile.test";
    static final List<String> NEW_MX = List.of("mx1.new.test", "mx2.new.test");

    HostileDnsServer server;
    DnsProbe probe;
    DnsWatcher watcher;

    @AfterEach
    void close() {
        if (watcher != null) {
            watcher.close();
        }
        if (probe != null) {
            probe.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void watcherShouldReportErrorAndKeepPollingWhenEveryReplyIsMalformed() throws Exception {
        long seed = Long.getLong("dns.fuzz.seed", System.nanoTime());
        System.out.println("DnsWatcherMalformedReplyTest seed " + seed + " (replay with -Ddns.fuzz.seed=" + seed + ")");
        server = new HostileDnsServer(new Random(seed));
        probe = new DnsProbe(DnsProbe.Settings.DEFAULT.withQueryTimeout(Duration.ofMillis(300)));
        MemoryPollStore store = new MemoryPollStore();
        watcher = new DnsWatcher(
                probe, store, Clock.systemUTC(), new WatchSchedule(Duration.ofMillis(150), Duration.ofMillis(100)));
        NameServer authoritative =
                new NameServer("hostile-auth", NameServer.Role.AUTHORITATIVE, "127.0.0.1", server.port());
        NameServer resolver = new NameServer("hostile-resolver", NameServer.Role.RESOLVER, "127.0.0.1", server.port());
        watcher.watch(new WatchedDomain(
                ExpectedMx.of(DOMAIN, NEW_MX), SpfExpectation.NONE, List.of(authoritative), List.of(resolver), 53));
        watcher.start(Duration.ofMillis(50));

        // Every kind of fault at least 3 times, and at least 8 polls: the watcher keeps going.
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> watcher.pollCount(DOMAIN) >= 8 && server.minFaults() >= 3);
        long pollsWhileHostile = watcher.pollCount(DOMAIN);
        List<Poll> hostile = store.history(DOMAIN);
        for (Poll poll : hostile) {
            for (Observation o : poll.observations()) {
                assertThat(o.mx().outcome().answered())
                        .as(
                                "poll at %s, %s: %s (seed %d)",
                                poll.at(), o.server().label(), o.mx(), seed)
                        .isFalse();
            }
        }
        var report = watcher.report(DOMAIN).orElseThrow();
        assertThat(report.verdict()).as(report.propagation().reason()).isEqualTo(Verdict.ERROR);
        assertThat(report.propagation().servers())
                .extracting(ServerStatus::view)
                .containsOnly(MxView.FAILED);
        System.out.printf(
                "malformed DNS replies: %s sent, %d polls, every server FAILED, verdict %s%n",
                server.faults(), pollsWhileHostile, report.verdict());

        // The same server, now answering properly: the watcher is still polling and sees the new MX.
        server.heal();
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> watcher.report(DOMAIN)
                        .map(r -> r.verdict() == Verdict.PROPAGATED)
                        .orElse(false));
        assertThat(watcher.pollCount(DOMAIN)).isGreaterThan(pollsWhileHostile);
    }

    /** Answers each query with the expected MX set, broken by a random {@link Fault} until healed. */
    static final class HostileDnsServer implements AutoCloseable {
        private static final List<Fault> HOSTILE =
                List.of(Fault.TRUNCATED, Fault.WRONG_ID, Fault.WRONG_QUESTION, Fault.GARBAGE);

        private final DatagramSocket socket;
        private final Random random;
        private final Map<Fault, AtomicLong> sent = new EnumMap<>(Fault.class);
        private final AtomicInteger next = new AtomicInteger();
        private volatile boolean healed;
        private final Thread loop;

        HostileDnsServer(Random random) throws SocketException {
            this.random = random;
            this.socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            for (Fault f : Fault.values()) {
                sent.put(f, new AtomicLong());
            }
            loop = new Thread(this::serve, "hostile-dns");
            loop.setDaemon(true);
            loop.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        void heal() {
            healed = true;
        }

        long minFaults() {
            return HOSTILE.stream().mapToLong(f -> sent.get(f).get()).min().orElse(0);
        }

        Map<Fault, Long> faults() {
            Map<Fault, Long> out = new EnumMap<>(Fault.class);
            sent.forEach((k, v) -> out.put(k, v.get()));
            return out;
        }

        private void serve() {
            byte[] buf = new byte[4096];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket in = new DatagramPacket(buf, buf.length);
                    socket.receive(in);
                    Message query = new Message(Arrays.copyOf(in.getData(), in.getLength()));
                    Fault fault;
                    byte[] reply;
                    synchronized (random) {
                        // Every fault in turn, so all four come soon; the broken bytes themselves are seeded.
                        fault = healed
                                ? Fault.NONE
                                : HOSTILE.get(Math.floorMod(next.getAndIncrement(), HOSTILE.size()));
                        reply = reply(query, fault);
                    }
                    sent.get(fault).incrementAndGet();
                    socket.send(new DatagramPacket(reply, reply.length, in.getSocketAddress()));
                } catch (IOException e) {
                    if (socket.isClosed()) {
                        return;
                    }
                }
            }
        }

        /** The right answer (the expected MX set, authoritative), then broken as {@code fault} says. */
        private byte[] reply(Message query, Fault fault) throws IOException {
            Record question = query.getQuestion();
            Name name = question.getName();
            if (fault == Fault.WRONG_QUESTION) {
                name = Name.fromString("other" + random.nextInt(1000) + ".test.");
                question = Record.newRecord(name, question.getType(), DClass.IN);
            }
            Message reply = new Message(query.getHeader().getID());
            reply.getHeader().setFlag(Flags.QR);
            reply.getHeader().setFlag(Flags.AA);
            if (query.getHeader().getFlag(Flags.RD)) {
                reply.getHeader().setFlag(Flags.RD);
                reply.getHeader().setFlag(Flags.RA);
            }
            reply.addRecord(question, Section.QUESTION);
            if (question.getType() == Type.MX) {
                for (int i = 0; i < NEW_MX.size(); i++) {
                    reply.addRecord(
                            new MXRecord(name, DClass.IN, 300, 10 * (i + 1), Name.fromString(NEW_MX.get(i) + ".")),
                            Section.ANSWER);
                }
            } else if (question.getType() == Type.TXT) {
                reply.addRecord(new TXTRecord(name, DClass.IN, 300, "v=spf1 -all"), Section.ANSWER);
            }
            if (fault == Fault.WRONG_ID) {
                reply.getHeader().setID((query.getHeader().getID() + 1) & 0xFFFF);
            }
            byte[] wire = reply.toWire();
            return switch (fault) {
                case TRUNCATED -> Arrays.copyOf(wire, 2 + random.nextInt(wire.length - 3));
                case GARBAGE -> {
                    byte[] junk = new byte[12 + random.nextInt(200)];
                    random.nextBytes(junk);
                    junk[0] = wire[0];
                    junk[1] = wire[1];
                    yield junk;
                }
                default -> wire;
            };
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
