package io.mxcutover.dnscheck.spf;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Writes the SPF record to publish for the new provider. */
public final class SpfRecord {

    /** For a domain without SPF: soft-fail the rest, as onboarding pages suggest until the move is done. */
    static final String DEFAULT_ALL = "~all";

    private SpfRecord() {}

    /**
     * The SPF record to publish so that {@code expectation} holds, from what the domain publishes
     * now: every required term added, every forbidden one removed, the rest kept. Empty when
     * there is nothing to ask of the record (no expectation), when what is published is not
     * known (TXT lookup failed) or when several SPF records are published (RFC 7208 §4.5: a
     * permerror the admin must merge by hand; we do not guess which one to keep).
     */
    public static Optional<String> toPublish(SpfExpectation expectation, SpfResult published) {
        if (expectation.isNone()
                || published.status() == SpfResult.Status.UNKNOWN
                || published.status() == SpfResult.Status.MULTIPLE_SPF) {
            return Optional.empty();
        }
        return rewrite(published.record(), expectation);
    }

    /** {@link #rewrite(Optional, String, Optional)} for every term of the expectation. */
    public static Optional<String> rewrite(Optional<String> current, SpfExpectation expectation) {
        if (expectation.required().isEmpty()) {
            // Only removals: nothing to publish for a domain without SPF.
            return current.filter(c -> SpfCheck.isSpf(c.trim())).map(c -> without(c.trim(), expectation.forbidden()));
        }
        String record = rewrite(current, expectation.required().get(0), Optional.empty());
        for (String term :
                expectation.required().subList(1, expectation.required().size())) {
            record = rewrite(Optional.of(record), term, Optional.empty());
        }
        return Optional.of(without(record, expectation.forbidden()));
    }

    private static String without(String record, List<String> forbidden) {
        String[] parts = record.split("\\s+");
        StringBuilder out = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            if (!forbidden.contains(SpfExpectation.normalize(parts[i]))) {
                out.append(' ').append(parts[i]);
            }
        }
        return out.toString();
    }

    /**
     * The current record with {@code newTerm} added and {@code oldTerm} (when given) removed.
     * An {@code include:} goes before the {@code all} mechanism and any {@code redirect=}; a
     * {@code redirect=} replaces {@code all} and any other redirect (RFC 7208 §6.1: redirect
     * is ignored when "all" is present). Other terms keep their order and spelling.
     */
    public static String rewrite(Optional<String> current, String newTerm, Optional<String> oldTerm) {
        Objects.requireNonNull(newTerm, "newTerm");
        String wanted = SpfExpectation.normalize(newTerm);
        boolean redirect = wanted.startsWith("redirect=");
        if (current.isEmpty() || !SpfCheck.isSpf(current.get().trim())) {
            return redirect ? "v=spf1 " + newTerm.trim() : "v=spf1 " + newTerm.trim() + " " + DEFAULT_ALL;
        }
        String[] parts = current.get().trim().split("\\s+");
        String old = oldTerm.map(SpfExpectation::normalize).orElse(null);
        List<String> kept = new ArrayList<>();
        boolean present = false;
        for (int i = 1; i < parts.length; i++) {
            String norm = SpfExpectation.normalize(parts[i]);
            if (norm.equals(old)) {
                continue;
            }
            if (norm.equals(wanted)) {
                present = true;
            } else if (redirect && (norm.equals("all") || norm.startsWith("redirect="))) {
                continue;
            }
            kept.add(parts[i]);
        }
        if (!present) {
            if (redirect) {
                kept.add(newTerm.trim());
            } else {
                int at = kept.size();
                for (int i = 0; i < kept.size(); i++) {
                    String norm = SpfExpectation.normalize(kept.get(i));
                    if (norm.equals("all") || norm.startsWith("redirect=")) {
                        at = i;
                        break;
                    }
                }
                kept.add(at, newTerm.trim());
            }
        }
        return "v=spf1" + (kept.isEmpty() ? "" : " " + String.join(" ", kept));
    }
}
