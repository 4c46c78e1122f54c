package io.mxcutover.appliance.window;

import io.mxcutover.appliance.cutover.AdminText;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The catch-up window rule. After cutover, DNS caches may still send mail straight to legacy, so the sync
 * keeps copying from legacy until the window closes, at the latest of:
 * <ol>
 *   <li>the cutover time;</li>
 *   <li>the MX switch (first seen on every authoritative server) + the configured length;</li>
 *   <li>the time every watched resolver returned the new MX set + the largest old TTL seen;</li>
 *   <li>the last message found new on legacy + the quiet period;</li>
 * </ol>
 * then pushed later by admin extensions. A forced close closes it regardless. Without the MX switch the
 * window never closes by itself, and while a watched resolver still returns the old set its closing time
 * is unknown: both mean mail may still reach legacy, and closing would strand it there.
 */
public final class CatchUpWindow {

    private CatchUpWindow() {}

    public static WindowVerdict evaluate(WindowInputs in, Instant now) {
        Optional<ForcedClose> forced = in.overrides().forcedClose();
        if (forced.isPresent()) {
            ForcedClose close = forced.get();
            return new WindowVerdict(
                    WindowState.CLOSED,
                    Optional.of(close.at()),
                    WindowTerm.FORCED_CLOSE,
                    "closed by " + close.user() + " at " + AdminText.at(close.at()) + " with force");
        }
        if (in.mxSwitchSeenAt().isEmpty()) {
            return new WindowVerdict(
                    WindowState.MX_SWITCH_NOT_SEEN,
                    Optional.empty(),
                    WindowTerm.MX_SWITCH,
                    "will not complete: the MX switch was never seen on all authoritative servers; check DNS");
        }
        Term closing = extend(latest(knownTerms(in)), in.overrides().extensions());
        if (in.resolversConvergedAt().isEmpty()) {
            return new WindowVerdict(
                    WindowState.WAITING_FOR_RESOLVERS,
                    Optional.empty(),
                    WindowTerm.RESOLVERS,
                    "closing time unknown until every watched resolver returns the new MX set (then + largest"
                            + " old TTL " + AdminText.span(in.largestOldTtl()) + "); not before "
                            + AdminText.at(closing.at()) + " (" + closing.reason() + ")");
        }
        WindowState state = now.isBefore(closing.at()) ? WindowState.OPEN : WindowState.CLOSED;
        return new WindowVerdict(state, Optional.of(closing.at()), closing.term(), closing.reason());
    }

    /** Terms 1 to 4 whose inputs are known, in tie-break order. */
    private static List<Term> knownTerms(WindowInputs in) {
        List<Term> terms = new ArrayList<>();
        terms.add(new Term(in.cutoverAt(), WindowTerm.CUTOVER, "cutover at " + AdminText.at(in.cutoverAt())));
        in.mxSwitchSeenAt()
                .ifPresent(at -> terms.add(new Term(
                        at.plus(in.length()),
                        WindowTerm.MX_SWITCH,
                        "MX switch seen " + AdminText.at(at) + " on all authoritative servers + "
                                + AdminText.span(in.length()))));
        in.resolversConvergedAt()
                .ifPresent(at -> terms.add(new Term(
                        at.plus(in.largestOldTtl()),
                        WindowTerm.RESOLVERS,
                        "every watched resolver returned the new MX set " + AdminText.at(at) + " + largest old TTL "
                                + AdminText.span(in.largestOldTtl()))));
        in.lastNewOnLegacyAt()
                .ifPresent(at -> terms.add(new Term(
                        at.plus(in.quietPeriod()),
                        WindowTerm.QUIET_PERIOD,
                        "last message found new on legacy " + AdminText.at(at) + " + quiet period "
                                + AdminText.span(in.quietPeriod()))));
        return terms;
    }

    private static Term latest(List<Term> terms) {
        Term latest = terms.get(0);
        for (Term term : terms) {
            if (term.at().isAfter(latest.at())) {
                latest = term;
            }
        }
        return latest;
    }

    // Durations add to the rule's time; an "until" only matters when it is later than everything else.
    private static Term extend(Term rule, List<WindowExtension> extensions) {
        Duration added = Duration.ZERO;
        List<String> by = new ArrayList<>();
        for (WindowExtension extension : extensions) {
            if (extension instanceof WindowExtension.By step) {
                added = added.plus(step.by());
                by.add(AdminText.span(step.by()) + " by " + step.user());
            }
        }
        Term closing = by.isEmpty()
                ? rule
                : new Term(
                        rule.at().plus(added),
                        WindowTerm.EXTENSION,
                        rule.reason() + ", extended " + String.join(", ", by));
        WindowExtension.Until latestUntil = null;
        for (WindowExtension extension : extensions) {
            if (extension instanceof WindowExtension.Until until
                    && (latestUntil == null || until.until().isAfter(latestUntil.until()))) {
                latestUntil = until;
            }
        }
        if (latestUntil == null || !latestUntil.until().isAfter(closing.at())) {
            return closing;
        }
        return new Term(
                latestUntil.until(),
                WindowTerm.EXTENSION,
                "kept open until "
                        + AdminText.at(latestUntil.until()) + " by " + latestUntil.user() + " (otherwise: "
                        + closing.reason() + ")");
    }

    private record Term(Instant at, WindowTerm term, String reason) {}
}
