package io.mxcutover.dnscheck.propagation;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What the domain's SPF record must contain after the move ({@code required}, e.g.
 * {@code include:spf.new.example} or {@code redirect=_spf.new.example}) and what must be gone
 * ({@code forbidden}, e.g. the legacy provider's {@code include:spf.legacy.example}; empty
 * when the old one may stay, as during the catch-up window). Terms are compared
 * case-insensitively, without qualifier and trailing dot.
 */
public record SpfExpectation(List<String> required, List<String> forbidden) {

    public static final SpfExpectation NONE = new SpfExpectation(List.of(), List.of());

    public SpfExpectation {
        required = Objects.requireNonNull(required, "required").stream().map(SpfExpectation::normalize).toList();
        forbidden = Objects.requireNonNull(forbidden, "forbidden").stream().map(SpfExpectation::normalize).toList();
        for (String term : required) {
            if (forbidden.contains(term)) {
                throw new IllegalArgumentException("SPF term " + term + " is both required and forbidden");
            }
        }
    }

    public boolean isNone() {
        return required.isEmpty() && forbidden.isEmpty();
    }

    /** {@code "~include:Spf.Example.com."} -> {@code "include:spf.example.com"}. */
    public static String normalize(String term) {
        String t = Objects.requireNonNull(term, "term").trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) {
            throw new IllegalArgumentException("SPF term must not be empty");
        }
        if ("+-~?".indexOf(t.charAt(0)) >= 0) {
            t = t.substring(1);
        }
        while (t.endsWith(".")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }
}
