package io.mxcutover.dnscheck.propagation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Writes the SPF record to publish for the new provider. */
public final class SpfRecord {

    /** For a domain without SPF: soft-fail the rest, as onboarding pages suggest until the move is done. */
    static final String DEFAULT_ALL = "~all";

    private SpfRecord() {
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
