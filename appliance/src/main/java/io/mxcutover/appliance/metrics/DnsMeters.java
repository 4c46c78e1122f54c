package io.mxcutover.appliance.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.mxcutover.appliance.dns.DnsWatch;
import io.mxcutover.appliance.facts.DnsFacts;
import io.mxcutover.appliance.facts.DnsVerdict;
import io.mxcutover.dnscheck.propagation.DnsReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The DNS watcher's findings per plan domain, read once per scrape: the verdict as the cutover sees it (one
 * series per verdict, 1 for the current one: stale or missing observations are {@code unknown}), the watched
 * resolvers that answer and those that return the new MX set, and the time since the MX switch was first
 * seen on every authoritative server.
 */
public final class DnsMeters {
    private final DnsWatch dns;
    private final Supplier<List<String>> domains;
    private final Clock clock;
    private final MultiGauge verdict;
    private final MultiGauge resolversOnNew;
    private final MultiGauge resolversAnswering;
    private final MultiGauge sinceSwitch;
    private final MultiGauge pollAge;

    public DnsMeters(MeterRegistry registry, DnsWatch dns, Supplier<List<String>> domains, Clock clock) {
        this.dns = dns;
        this.domains = domains;
        this.clock = clock;
        this.verdict = MultiGauge.builder("mxcutover.dns.verdict")
                .description("1 for the domain's current MX verdict (switched, propagating, not_switched,"
                        + " unexpected, unknown), 0 for the others")
                .register(registry);
        this.resolversOnNew = MultiGauge.builder("mxcutover.dns.resolvers.on.new.mx")
                .description("watched resolvers that returned the new MX set at the latest poll")
                .register(registry);
        this.resolversAnswering = MultiGauge.builder("mxcutover.dns.resolvers.answering")
                .description("watched resolvers that answered at the latest poll")
                .register(registry);
        this.sinceSwitch = MultiGauge.builder("mxcutover.dns.since.switch")
                .description("time since every authoritative server first returned the new MX set"
                        + " (absent until the switch is seen)")
                .baseUnit("seconds")
                .register(registry);
        this.pollAge = MultiGauge.builder("mxcutover.dns.last.poll.age")
                .description("age of the latest DNS poll of the domain (absent before the first)")
                .baseUnit("seconds")
                .register(registry);
    }

    /** Reads the watcher; called before each scrape. */
    public void refresh() {
        Instant now = clock.instant();
        List<MultiGauge.Row<?>> verdicts = new ArrayList<>();
        List<MultiGauge.Row<?>> onNew = new ArrayList<>();
        List<MultiGauge.Row<?>> answering = new ArrayList<>();
        List<MultiGauge.Row<?>> switched = new ArrayList<>();
        List<MultiGauge.Row<?>> ages = new ArrayList<>();
        for (String name : domains.get()) {
            String d = name.toLowerCase(Locale.ROOT);
            DnsFacts facts = dns.facts(d);
            for (DnsVerdict v : DnsVerdict.values()) {
                verdicts.add(MultiGauge.Row.of(
                        Tags.of("domain", d, "verdict", v.name().toLowerCase(Locale.ROOT)),
                        v == facts.verdict() ? 1 : 0));
            }
            facts.mxSwitchSeenAt()
                    .ifPresent(t -> switched.add(MultiGauge.Row.of(Tags.of("domain", d), seconds(t, now))));
            Optional<DnsReport> report = dns.watches(d) ? dns.report(d) : Optional.empty();
            report.ifPresent(r -> {
                onNew.add(
                        MultiGauge.Row.of(Tags.of("domain", d), r.propagation().resolversOnNew()));
                answering.add(
                        MultiGauge.Row.of(Tags.of("domain", d), r.propagation().resolversAnswering()));
                ages.add(MultiGauge.Row.of(Tags.of("domain", d), seconds(r.polledAt(), now)));
            });
        }
        verdict.register(verdicts, true);
        resolversOnNew.register(onNew, true);
        resolversAnswering.register(answering, true);
        sinceSwitch.register(switched, true);
        pollAge.register(ages, true);
    }

    static double seconds(Instant from, Instant now) {
        return Math.max(0, Duration.between(from, now).toMillis() / 1000.0);
    }
}
