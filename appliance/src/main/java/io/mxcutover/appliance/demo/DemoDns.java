package io.mxcutover.appliance.demo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SetResponse;
import org.xbill.DNS.Zone;

/**
 * The demo's DNS, so that the DNS watcher has something real to watch: {@code example.test}'s
 * zone from a file the demo user edits (or replaces with the prepared "switched" file),
 * served over UDP on loopback by two small responders built on dnsjava's {@link Zone}:
 * <ul>
 *   <li>the <b>authoritative</b> one answers from the file as it is now (AA set);</li>
 *   <li>the <b>resolver</b> keeps each answer for its TTL and hands out the remaining TTL, as a
 *       caching resolver does, so that after the MX switch the watcher shows PUBLISHED and,
 *       once the old answer's TTL ran out, PROPAGATED.</li>
 * </ul>
 * The file is read again when its content changed; a file that does not parse is logged and
 * the previous zone keeps being served. Names outside the zone get REFUSED. Demo only: UDP,
 * no TCP, no recursion, no DNSSEC.
 *
 * <p>For the console's propagation chart the demo adds more resolvers whose caches are kept warm, as a
 * public resolver's are by its other clients: resolver {@code k} refetches the answer every TTL seconds,
 * {@code k * stagger} seconds out of step with the clock, whether or not the watcher asked. After the
 * switch they move over one by one within one TTL, as real resolvers do, not all at the watcher's poll.
 */
public final class DemoDns implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoDns.class);
    static final Name ORIGIN = Name.fromConstantString("example.test.");

    private final Path zoneFile;
    private final Clock clock;
    private final Responder authoritative;
    private final Responder resolver;
    private final List<Responder> lateResolvers = new ArrayList<>();
    private byte[] zoneBytes = new byte[0];
    private Zone zone;

    /** An answer as the resolver cached it: records, rcode, when it was fetched and for how long it is kept. */
    private record Cached(int rcode, List<Record> answer, List<Record> authority, Instant fetched, long ttl) {}

    private DemoDns(Path zoneFile, Clock clock, int late, java.time.Duration stagger) throws IOException {
        this.zoneFile = zoneFile;
        this.clock = clock;
        currentZone();
        this.authoritative = new Responder("demo-dns-authoritative", true, 0);
        this.resolver = new Responder("demo-dns-resolver", false, 0);
        for (int k = 1; k <= late; k++) {
            lateResolvers.add(new Responder("demo-dns-resolver-" + k, false, k * stagger.toSeconds()));
        }
    }

    /**
     * Writes the zone (legacy MX) and its switched version ({@code <zone>.new}, new MX) into
     * {@code dir} and starts both responders on free loopback ports.
     */
    public static DemoDns start(Path dir, Clock clock) throws IOException {
        return start(dir, clock, 0, java.time.Duration.ZERO);
    }

    /** As {@link #start(Path, Clock)}, with {@code late} more resolvers, each {@code stagger} later than the one before. */
    public static DemoDns start(Path dir, Clock clock, int late, java.time.Duration stagger) throws IOException {
        Path zone = dir.resolve("example.test.zone");
        Files.writeString(
                zone,
                zoneText("10 mx.legacy.example.test.", "include:spf.legacy.example.test"),
                StandardCharsets.US_ASCII);
        Files.writeString(
                dir.resolve("example.test.zone.new"),
                zoneText(
                        "10 mx1.new.example.test.\n@        30 IN MX   20 mx2.new.example.test.",
                        "include:spf.new.example.test"),
                StandardCharsets.US_ASCII);
        return new DemoDns(zone, clock, late, stagger);
    }

    static String zoneText(String mx, String spf) {
        return """
                ; example.test as the demo's DNS serves it (./mxcutover demo). Edit the MX line(s) and save:
                ; the authoritative server answers with the new MX at once, the resolver once the
                ; old answer's TTL (30 s) ran out. No serial to bump: the file is re-read when it changes.
                $ORIGIN example.test.
                $TTL 60
                @           IN SOA  ns1.example.test. hostmaster.example.test. ( 1 3600 600 86400 30 )
                @           IN NS   ns1.example.test.
                ns1         IN A    127.0.0.1
                @        30 IN MX   %s
                @           IN TXT  "v=spf1 %s -all"
                """.formatted(mx, spf);
    }

    public Path zoneFile() {
        return zoneFile;
    }

    /** The file that, copied over {@link #zoneFile()}, switches the MX to the new servers. */
    public Path switchedZoneFile() {
        return zoneFile.resolveSibling(zoneFile.getFileName() + ".new");
    }

    /** The shell command that switches the demo domain's MX. */
    public String switchCommand() {
        return "cp " + switchedZoneFile() + " " + zoneFile;
    }

    public int authoritativePort() {
        return authoritative.socket.getLocalPort();
    }

    public int resolverPort() {
        return resolver.socket.getLocalPort();
    }

    /** The ports of the first resolver and of every late one, in order. */
    public List<Integer> resolverPorts() {
        List<Integer> ports = new ArrayList<>(List.of(resolverPort()));
        lateResolvers.forEach(r -> ports.add(r.socket.getLocalPort()));
        return ports;
    }

    /** The zone as the file says now; the previous one when the file is being edited into nonsense. */
    private synchronized Zone currentZone() {
        try {
            byte[] now = Files.readAllBytes(zoneFile);
            if (zone == null || !Arrays.equals(now, zoneBytes)) {
                try (InputStream in = new ByteArrayInputStream(now)) {
                    zone = new Zone(ORIGIN, in);
                }
                zoneBytes = now;
                LOG.info("Demo DNS serves {} from {}", ORIGIN, zoneFile);
            }
        } catch (IOException | RuntimeException e) {
            if (zone == null) {
                throw new IllegalStateException("cannot read the demo zone " + zoneFile + ": " + e.getMessage(), e);
            }
            LOG.warn("Demo DNS keeps the previous {} zone: {} does not parse ({})", ORIGIN, zoneFile, e.getMessage());
        }
        return zone;
    }

    byte[] answer(byte[] query, boolean fromZone) throws IOException {
        return answer(query, fromZone ? authoritative : resolver);
    }

    private byte[] answer(byte[] query, Responder responder) throws IOException {
        boolean fromZone = responder.fromZone;
        Message q = new Message(query);
        Record question = q.getQuestion();
        Message r = new Message(q.getHeader().getID());
        r.getHeader().setFlag(Flags.QR);
        if (q.getHeader().getFlag(Flags.RD)) {
            r.getHeader().setFlag(Flags.RD);
        }
        r.getHeader().setFlag(fromZone ? Flags.AA : Flags.RA);
        if (question == null) {
            r.getHeader().setRcode(Rcode.FORMERR);
            return r.toWire();
        }
        r.addRecord(question, Section.QUESTION);
        if (!question.getName().subdomain(ORIGIN)) {
            r.getHeader().setRcode(Rcode.REFUSED);
            return r.toWire();
        }
        Cached c = fromZone ? lookUp(question) : cached(question, responder);
        long elapsed = fromZone
                ? 0
                : Math.max(0, clock.instant().getEpochSecond() - c.fetched().getEpochSecond());
        r.getHeader().setRcode(c.rcode());
        c.answer().forEach(rec -> r.addRecord(withTtl(rec, rec.getTTL() - elapsed), Section.ANSWER));
        c.authority().forEach(rec -> r.addRecord(withTtl(rec, rec.getTTL() - elapsed), Section.AUTHORITY));
        return r.toWire(512);
    }

    /** What the zone says now; for NXDOMAIN/NODATA the SOA, cached for min(SOA TTL, MINIMUM) (RFC 2308 §5). */
    private Cached lookUp(Record question) {
        Zone z = currentZone();
        SetResponse found = z.findRecords(question.getName(), question.getType());
        Instant now = clock.instant();
        if (found.isSuccessful()) {
            List<Record> answer = new ArrayList<>();
            found.answers().forEach(set -> answer.addAll(set.rrs()));
            long ttl = answer.stream().mapToLong(Record::getTTL).min().orElse(0);
            return new Cached(Rcode.NOERROR, answer, List.of(), now, ttl);
        }
        var soa = z.getSOA();
        long negative = Math.min(soa.getTTL(), soa.getMinimum());
        return new Cached(
                found.isNXDOMAIN() ? Rcode.NXDOMAIN : Rcode.NOERROR,
                List.of(),
                List.of(withTtl(soa, negative)),
                now,
                negative);
    }

    private Cached cached(Record question, Responder responder) {
        String key = question.getName() + "/" + question.getType();
        Instant now = clock.instant();
        if (responder.lateSeconds == 0) {
            return responder.cache.compute(
                    key,
                    (k, old) ->
                            old != null && now.isBefore(old.fetched().plusSeconds(old.ttl())) ? old : lookUp(question));
        }
        // Warm cache: the answer of the current TTL cycle (cycles start at lateSeconds + n * ttl).
        return responder.cache.compute(key, (k, old) -> {
            if (old != null
                    && old.ttl() > 0
                    && cycleStart(now, old.ttl(), responder.lateSeconds)
                            == old.fetched().getEpochSecond()) {
                return old;
            }
            Cached fresh = lookUp(question);
            return fresh.ttl() <= 0
                    ? fresh
                    : new Cached(
                            fresh.rcode(),
                            fresh.answer(),
                            fresh.authority(),
                            Instant.ofEpochSecond(cycleStart(now, fresh.ttl(), responder.lateSeconds)),
                            fresh.ttl());
        });
    }

    private static long cycleStart(Instant now, long ttl, long offset) {
        return offset + Math.floorDiv(now.getEpochSecond() - offset, ttl) * ttl;
    }

    private static Record withTtl(Record r, long ttl) {
        return Record.newRecord(r.getName(), r.getType(), r.getDClass(), Math.max(0, ttl), r.rdataToWireCanonical());
    }

    @Override
    public void close() {
        authoritative.close();
        resolver.close();
        lateResolvers.forEach(Responder::close);
    }

    /** One UDP socket and the thread that answers on it. */
    private final class Responder implements AutoCloseable {
        final DatagramSocket socket;
        final Thread thread;
        final boolean fromZone;
        /** The offset of this resolver's warm-cache cycle (0: a plain cache, for the authoritative and the first). */
        final long lateSeconds;

        final Map<String, Cached> cache = new ConcurrentHashMap<>();

        Responder(String name, boolean fromZone, long lateSeconds) throws SocketException {
            this.fromZone = fromZone;
            this.lateSeconds = lateSeconds;
            socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            thread = new Thread(this::serve, name);
            thread.setDaemon(true);
            thread.start();
        }

        private void serve() {
            byte[] buffer = new byte[4096];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket in = new DatagramPacket(buffer, buffer.length);
                    socket.receive(in);
                    byte[] out = answer(Arrays.copyOf(in.getData(), in.getLength()), this);
                    socket.send(new DatagramPacket(out, out.length, in.getSocketAddress()));
                } catch (IOException | RuntimeException e) {
                    if (!socket.isClosed()) {
                        LOG.debug("Demo DNS dropped a query: {}", e.toString());
                    }
                }
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
