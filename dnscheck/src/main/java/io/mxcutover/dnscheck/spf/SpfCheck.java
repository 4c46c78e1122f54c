package io.mxcutover.dnscheck.spf;

import io.mxcutover.dnscheck.poll.LookupOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Checks TXT answers against an {@link SpfExpectation} (RFC 7208 record selection, §4.5). */
public final class SpfCheck {

    private SpfCheck() {}

    public static SpfResult evaluate(SpfExpectation expectation, LookupOutcome txt) {
        if (txt instanceof LookupOutcome.NoError ne) {
            return evaluate(expectation, ne.answers());
        }
        if (txt instanceof LookupOutcome.NoData || txt instanceof LookupOutcome.NxDomain) {
            return evaluate(expectation, List.of());
        }
        return new SpfResult(SpfResult.Status.UNKNOWN, Optional.empty(), expectation.required(), List.of());
    }

    /** {@code txtRecords}: one string per TXT record, its character-strings already concatenated. */
    public static SpfResult evaluate(SpfExpectation expectation, List<String> txtRecords) {
        List<String> spf = txtRecords.stream().filter(SpfCheck::isSpf).toList();
        if (spf.isEmpty()) {
            return new SpfResult(SpfResult.Status.NO_SPF, Optional.empty(), expectation.required(), List.of());
        }
        if (spf.size() > 1) {
            return new SpfResult(
                    SpfResult.Status.MULTIPLE_SPF, Optional.of(String.join(" | ", spf)), List.of(), List.of());
        }
        String record = spf.get(0);
        List<String> terms = terms(record);
        List<String> missing = new ArrayList<>();
        for (String required : expectation.required()) {
            if (!terms.contains(required)) {
                missing.add(required);
            }
        }
        List<String> stillPresent =
                expectation.forbidden().stream().filter(terms::contains).toList();
        SpfResult.Status status = !missing.isEmpty()
                ? SpfResult.Status.MISSING_REQUIRED
                : !stillPresent.isEmpty() ? SpfResult.Status.OLD_STILL_PRESENT : SpfResult.Status.OK;
        return new SpfResult(status, Optional.of(record), missing, stillPresent);
    }

    /** RFC 7208 §4.5: the record starts with "v=spf1" followed by a space or its end. */
    public static boolean isSpf(String txt) {
        String t = txt.toLowerCase(Locale.ROOT);
        return t.equals("v=spf1") || t.startsWith("v=spf1 ");
    }

    /** The normalized terms after the version. */
    static List<String> terms(String record) {
        String[] parts = record.trim().split("\\s+");
        List<String> terms = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            terms.add(SpfExpectation.normalize(parts[i]));
        }
        return terms;
    }
}
