import io.mxcutover.dnscheck.poll.NameServer;
import io.mxcutover.dnscheck.probe.DnsProbe;
import io.mxcutover.dnscheck.propagation.DnsReport;
import io.mxcutover.dnscheck.propagation.ExpectedMx;
import io.mxcutover.dnscheck.propagation.Verdict;
import io.mxcutover.dnscheck.spf.SpfExpectation;
import io.mxcutover.dnscheck.watch.DnsWatcher;
import io.mxcutover.dnscheck.watch.MemoryPollStore;
import io.mxcutover.dnscheck.watch.WatchSchedule;
import io.mxcutover.dnscheck.watch.WatchedDomain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** One poll round of N domains x (1 authoritative + 8 resolvers); see run.sh. */
public class DnsBench {

    /** A clock the bench moves forward by hand, so every round finds every domain due. */
    static final class SteppedClock extends Clock {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");

        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        public Instant instant() {
            return now;
        }
    }

    public static void main(String[] args) throws Exception {
        int domains = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        NameServer nsd = new NameServer("nsd", NameServer.Role.AUTHORITATIVE, "127.0.0.1", Integer.parseInt(args[2]));
        List<NameServer> resolvers = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            resolvers.add(new NameServer("unbound:" + args[i], NameServer.Role.RESOLVER, "127.0.0.1", Integer.parseInt(args[i])));
        }
        SteppedClock clock = new SteppedClock();
        DnsProbe.Settings settings = DnsProbe.Settings.DEFAULT.withQueryTimeout(Duration.ofSeconds(2));
        try (DnsProbe probe = new DnsProbe(settings);
             DnsWatcher watcher = new DnsWatcher(probe, new MemoryPollStore(), clock, WatchSchedule.DEFAULT)) {
            for (int i = 1; i <= domains; i++) {
                String d = String.format("d%04d.bench.test", i);
                watcher.watch(new WatchedDomain(ExpectedMx.of(d, List.of("mx1.new.example", "mx2.new.example")),
                        new SpfExpectation(List.of("include:spf.new.example"), List.of()), List.of(nsd), resolvers, 53));
            }
            System.out.printf("%d domains x (1 authoritative + %d resolvers) x MX+TXT = %d queries per round, "
                    + "maxInFlight %d%n", domains, resolvers.size(), domains * (1 + resolvers.size()) * 2, settings.maxInFlight());
            for (int r = 1; r <= rounds; r++) {
                clock.now = clock.now.plus(Duration.ofMinutes(10));
                long start = System.nanoTime();
                int polled = watcher.pollDue();
                long ms = (System.nanoTime() - start) / 1_000_000;
                Map<Verdict, Integer> verdicts = new EnumMap<>(Verdict.class);
                for (String d : watcher.watchedDomains()) {
                    DnsReport rep = watcher.report(d).orElseThrow();
                    verdicts.merge(rep.verdict(), 1, Integer::sum);
                }
                System.out.printf("round %d (%s caches): %d domains polled in %d ms; verdicts %s%n", r,
                        r == 1 ? "cold" : "warm", polled, ms, verdicts);
            }
        }
        System.gc();
        Runtime rt = Runtime.getRuntime();
        long heapMb = (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);
        String hwm = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("VmHWM") || l.startsWith("VmRSS")).reduce((a, b) -> a + ", " + b).orElse("?");
        System.out.printf("memory: heap used after GC %d MB (history of %d rounds kept); %s%n", heapMb, rounds,
                hwm.replaceAll("\\s+", " "));
    }
}
