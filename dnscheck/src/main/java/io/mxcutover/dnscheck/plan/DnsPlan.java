package io.mxcutover.dnscheck.plan;

import io.mxcutover.dnscheck.propagation.ExpectedMx;
import io.mxcutover.dnscheck.propagation.MxHost;
import io.mxcutover.dnscheck.spf.SpfExpectation;
import io.mxcutover.dnscheck.spf.SpfRecord;
import io.mxcutover.dnscheck.spf.SpfResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The records an admin must publish for the move, printed twice as onboarding pages do:
 * a table for DNS hosting web panels (Host "@" = the domain itself) and zone-file lines.
 */
public final class DnsPlan {

    /** A TXT character-string holds at most 255 bytes (RFC 1035 §3.3); longer SPF is split. */
    static final int TXT_CHUNK = 255;

    private DnsPlan() {}

    /**
     * The plan for a watched domain: its expected MX, and the SPF record that meets
     * {@code spf} built from what the domain publishes now ({@code published}: the latest
     * SPF check, empty before the first poll). When that record cannot be written (nothing
     * known yet, the TXT lookup failed, several SPF records), the plan says what to do instead.
     */
    public static String render(
            ExpectedMx expected, SpfExpectation spf, Optional<SpfResult> published, long ttlSeconds) {
        Optional<String> record = published.flatMap(p -> SpfRecord.toPublish(spf, p));
        String text = render(expected.domain(), expected.expected(), record, ttlSeconds);
        if (record.isEmpty() && !spf.isNone()) {
            String why = published
                    .map(p -> p.status() == SpfResult.Status.MULTIPLE_SPF
                            ? "the domain publishes several SPF records (receivers treat that as an error): merge them into one"
                            : "the domain's TXT records could not be read at the last poll")
                    .orElse("the domain's TXT records are not known yet (no poll so far)");
            List<String> rule = new ArrayList<>();
            if (!spf.required().isEmpty()) {
                rule.add("contain " + String.join(" ", spf.required()));
            }
            if (!spf.forbidden().isEmpty()) {
                rule.add("not contain " + String.join(" ", spf.forbidden()));
            }
            text += "SPF: " + why + "; the one SPF record must " + String.join(" and ", rule) + ".\n";
        }
        return text;
    }

    public static String render(String domain, List<MxHost> mx, Optional<String> spf, long ttlSeconds) {
        String origin = MxHost.normalizeHost(Objects.requireNonNull(domain, "domain")) + ".";
        List<MxHost> sorted = mx.stream()
                .sorted(Comparator.comparingInt(MxHost::priority).thenComparing(MxHost::host))
                .toList();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Type", "Host", "Priority", "Value", "TTL"});
        for (MxHost h : sorted) {
            rows.add(new String[] {"MX", "@", Integer.toString(h.priority()), h.host() + ".", Long.toString(ttlSeconds)
            });
        }
        spf.ifPresent(s -> rows.add(new String[] {"TXT", "@", "", s, Long.toString(ttlSeconds)}));

        StringBuilder out = new StringBuilder();
        out.append("DNS records to publish for ").append(origin).append('\n').append('\n');
        int[] widths = new int[5];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : pad(row[i], widths[i] + 2));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        out.append('\n').append("Zone file (").append(origin).append("):").append('\n');
        for (MxHost h : sorted) {
            out.append(origin)
                    .append('\t')
                    .append(ttlSeconds)
                    .append("\tIN\tMX\t")
                    .append(h.priority())
                    .append(' ')
                    .append(h.host())
                    .append(".\n");
        }
        spf.ifPresent(s -> out.append(origin)
                .append('\t')
                .append(ttlSeconds)
                .append("\tIN\tTXT\t")
                .append(quoted(s))
                .append('\n'));
        out.append('\n')
                .append("Remove the MX records of the old provider; keep the SPF record a single TXT record.")
                .append('\n');
        return out.toString();
    }

    /** Zone-file TXT data: quoted, escaped, split into character-strings of at most 255 bytes. */
    static String quoted(String text) {
        List<String> chunks = new ArrayList<>();
        for (int i = 0; i < text.length(); i += TXT_CHUNK) {
            chunks.add(text.substring(i, Math.min(text.length(), i + TXT_CHUNK)));
        }
        if (chunks.isEmpty()) {
            chunks.add("");
        }
        List<String> quoted = new ArrayList<>();
        for (String c : chunks) {
            quoted.add("\"" + c.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        }
        return String.join(" ", quoted);
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
