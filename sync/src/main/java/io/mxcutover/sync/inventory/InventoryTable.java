package io.mxcutover.sync.inventory;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/** An inventory as text for the terminal: per mailbox its folders, then the totals per domain and the estimate. */
public final class InventoryTable {
    private InventoryTable() {}

    public static void print(InventoryReport r, PrintStream out) {
        for (MailboxInventory m : r.mailboxes()) {
            if (m.outcome() != MailboxInventory.Outcome.LISTED) {
                out.printf("%s  %s: %s%n", m.address(), m.outcome(), m.problem());
                continue;
            }
            out.printf(
                    "%s  %d message(s), %s in %d folder(s)%s%n",
                    m.address(),
                    m.messages(),
                    human(m.bytes()),
                    m.folders().size(),
                    m.problem().isEmpty() ? "" : " - " + m.problem());
            for (FolderCount f : m.folders()) {
                String fate = switch (f.fate()) {
                    case SAME -> "-> " + f.targetFolder();
                    case RENAMED -> "renamed to " + f.targetFolder() + " (" + f.reason() + ")";
                    case MERGED -> "merged into " + f.targetFolder() + " (" + f.reason() + ")";
                    case REFUSED -> "REFUSED: " + f.reason();
                    case UNCHECKED -> "";
                };
                out.printf("  %-32s %8d %10s  %s%n", f.sourceFolder(), f.messages(), human(f.bytes()), fate);
            }
            if (!m.newServerProblem().isEmpty()) {
                out.printf("  new server: %s%n", m.newServerProblem());
            }
            m.largest().stream()
                    .limit(3)
                    .forEach(l -> out.printf(
                            "  large: %s UID %d %s %s%n", l.folder(), l.uid(), human(l.size()), l.messageId()));
            long over = r.overAppendLimit().getOrDefault(m.address(), 0L);
            if (over > 0) {
                out.printf(
                        "  %d message(s) over the new server's APPENDLIMIT of %d bytes, e.g. %s UID %d (%s)%n",
                        over,
                        r.appendLimit().orElse(0L),
                        m.overAppendLimit().get(0).folder(),
                        m.overAppendLimit().get(0).uid(),
                        human(m.overAppendLimit().get(0).size()));
            }
        }
        for (DomainTotals d : r.domains()) {
            out.printf(
                    "domain %s: %d mailbox(es) (%d listed, %d login(s) failed, %d failed), %d folder(s), %d message(s),"
                            + " %s; %d folder(s) refused, %d renamed, %d merged by the new server; %d message(s) over"
                            + " APPENDLIMIT; largest message %s%n",
                    d.domain(),
                    d.mailboxes(),
                    d.listed(),
                    d.loginsFailed(),
                    d.failed(),
                    d.folders(),
                    d.messages(),
                    human(d.bytes()),
                    d.foldersRefused(),
                    d.foldersRenamed(),
                    d.foldersMerged(),
                    d.messagesOverAppendLimit(),
                    human(d.largestMessage()));
        }
        CopyEstimate e = r.estimate();
        out.printf(
                "estimate: %s for %d message(s), %s, %d mailbox(es) at a time, at %s (%s: %s)%s%n",
                duration(e.duration()),
                e.messages(),
                human(e.bytes()),
                e.parallelism(),
                e.rate().describe(),
                e.rate().source(),
                e.rate().basis(),
                e.notListed() > 0 ? "; " + e.notListed() + " mailbox(es) not listed are not in it" : "");
    }

    /** {@code 1 h 05 min}, {@code 3 min 20 s}, {@code 12 s}. */
    public static String duration(Duration d) {
        long s = Math.round(d.toMillis() / 1000.0);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
        }
        if (s >= 60) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    static String human(long bytes) {
        if (bytes >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
        }
        if (bytes >= 1_000_000) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f kB", bytes / 1e3);
    }
}
