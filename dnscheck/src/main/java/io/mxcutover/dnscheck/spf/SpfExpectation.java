package io.mxcutover.dnscheck.spf;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the domain's SPF record must contain after the move ({@code required}, e.g.
 * {@code include:spf.new.example} or {@code redirect=_spf.new.example}) and what must be gone
 * ({@code forbidden}, e.g. the legacy provider's {@code include:spf.legacy.example}; empty
 * when the old one may stay, as during the catch-up window). Terms are compared
 * case-insensitively, without qualifier and trailing dot.
 */
public record SpfExpectation(List<String> required, List<String> forbidden) {

    public static final SpfExpectation NONE = new SpfExpectation(List.of(), List.of());

    /** RFC 7208 §7.1 domain-spec, loosely: labels and macros ({@code %{d}}), no spaces. */
    private static final String DOMAIN_SPEC = "[a-z0-9_.%{}+,/=-]*[a-z0-9_}-]";

    private static final Pattern MECHANISM = Pattern.compile("(include|exists):" + DOMAIN_SPEC
            + "|(redirect|exp)=" + DOMAIN_SPEC
            + "|(a|mx)(:" + DOMAIN_SPEC + ")?(/\\d{1,2})?(//\\d{1,3})?"
            + "|ptr(:" + DOMAIN_SPEC + ")?"
            + "|ip4:\\d{1,3}(\\.\\d{1,3}){3}(/\\d{1,2})?"
            + "|ip6:[0-9a-f:.]*:[0-9a-f:.]*(/\\d{1,3})?"
            + "|all");

    public SpfExpectation {
        required = Objects.requireNonNull(required, "required").stream()
                .map(SpfExpectation::term)
                .toList();
        forbidden = Objects.requireNonNull(forbidden, "forbidden").stream()
                .map(SpfExpectation::term)
                .toList();
        for (String term : required) {
            if (forbidden.contains(term)) {
                throw new IllegalArgumentException("SPF term " + term + " is both required and forbidden");
            }
        }
    }

    public boolean isNone() {
        return required.isEmpty() && forbidden.isEmpty();
    }

    /**
     * One expected SPF term, normalized; refuses what is not an SPF mechanism or modifier
     * (RFC 7208 §5, §6), so that a typo in an expectation does not read as "missing" forever.
     */
    public static String term(String term) {
        String raw = Objects.requireNonNull(term, "term").trim();
        if (raw.toLowerCase(Locale.ROOT).startsWith("v=spf1")) {
            throw new IllegalArgumentException("'" + raw + "' is a whole SPF record; list its mechanisms one by one, "
                    + "without v=spf1 (e.g. include:spf.new-provider.example)");
        }
        if (raw.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("'" + raw + "' holds more than one SPF term; list one mechanism per "
                    + "entry (e.g. include:spf.new-provider.example)");
        }
        String t = normalize(raw);
        if (!MECHANISM.matcher(t).matches()) {
            throw new IllegalArgumentException(
                    "'" + raw + "' is not an SPF mechanism; write e.g. "
                            + "include:spf.new-provider.example, redirect=_spf.new-provider.example, ip4:192.0.2.0/24, a or mx");
        }
        return t;
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
