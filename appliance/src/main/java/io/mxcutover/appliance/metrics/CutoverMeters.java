package io.mxcutover.appliance.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.mxcutover.appliance.cutover.CutoverPhase;
import io.mxcutover.appliance.cutover.CutoverService;
import io.mxcutover.appliance.cutover.DomainView;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Each plan domain's cutover, read once per scrape from the cutover's overview: its phase (one series per
 * phase, 1 for the current one) and, once the catch-up window has a closing time, the seconds left until
 * it closes (0 once it has passed).
 */
public final class CutoverMeters {
    private final CutoverService cutover;
    private final Clock clock;
    private final MultiGauge phase;
    private final MultiGauge windowLeft;

    public CutoverMeters(MeterRegistry registry, CutoverService cutover, Clock clock) {
        this.cutover = cutover;
        this.clock = clock;
        this.phase = MultiGauge.builder("mxcutover.cutover.phase")
                .description("1 for the domain's current phase (relaying, catching_up, completed), 0 for the others")
                .register(registry);
        this.windowLeft = MultiGauge.builder("mxcutover.cutover.window.remaining")
                .description("time left until the catch-up window closes (absent while no closing time is known)")
                .baseUnit("seconds")
                .register(registry);
    }

    /** Reads the cutover's overview; called before each scrape. */
    public void refresh() {
        Instant now = clock.instant();
        List<MultiGauge.Row<?>> phases = new ArrayList<>();
        List<MultiGauge.Row<?>> left = new ArrayList<>();
        for (DomainView v : cutover.overview()) {
            String d = v.domain().toLowerCase(Locale.ROOT);
            for (CutoverPhase p : CutoverPhase.values()) {
                phases.add(MultiGauge.Row.of(
                        Tags.of("domain", d, "phase", p.name().toLowerCase(Locale.ROOT)), p == v.phase() ? 1 : 0));
            }
            if (v.phase() == CutoverPhase.CATCHING_UP) {
                v.window()
                        .closesAt()
                        .ifPresent(t -> left.add(MultiGauge.Row.of(
                                Tags.of("domain", d), t.isAfter(now) ? DnsMeters.seconds(now, t) : 0)));
            }
        }
        phase.register(phases, true);
        windowLeft.register(left, true);
    }
}
