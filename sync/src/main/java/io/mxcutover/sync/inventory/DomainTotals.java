package io.mxcutover.sync.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** One domain's totals of an inventory: what the migration checklist asks first. */
public record DomainTotals(
        String domain,
        int mailboxes,
        int listed,
        int loginsFailed,
        int failed,
        int folders,
        long messages,
        long bytes,
        int foldersRefused,
        int foldersRenamed,
        int foldersMerged,
        long messagesOverAppendLimit,
        long largestMessage) {
    public DomainTotals {
        Objects.requireNonNull(domain, "domain");
    }

    /** Per domain, in name order. Pure. */
    public static List<DomainTotals> of(List<MailboxInventory> mailboxes, Map<String, Long> overLimitByMailbox) {
        Map<String, List<MailboxInventory>> byDomain = new TreeMap<>();
        mailboxes.forEach(m ->
                byDomain.computeIfAbsent(m.domain(), d -> new ArrayList<>()).add(m));
        List<DomainTotals> out = new ArrayList<>();
        byDomain.forEach((domain, list) -> {
            int listed = 0;
            int loginsFailed = 0;
            int failed = 0;
            int folders = 0;
            long messages = 0;
            long bytes = 0;
            int refused = 0;
            int renamed = 0;
            int merged = 0;
            long over = 0;
            long largest = 0;
            for (MailboxInventory m : list) {
                switch (m.outcome()) {
                    case LISTED -> listed++;
                    case LOGIN_FAILED -> loginsFailed++;
                    case FAILED -> failed++;
                    default -> throw new IllegalStateException("unknown outcome " + m.outcome());
                }
                folders += m.folders().size();
                messages += m.messages();
                bytes += m.bytes();
                for (FolderCount f : m.folders()) {
                    refused += f.fate() == FolderCount.Fate.REFUSED ? 1 : 0;
                    renamed += f.fate() == FolderCount.Fate.RENAMED ? 1 : 0;
                    merged += f.fate() == FolderCount.Fate.MERGED ? 1 : 0;
                }
                over += overLimitByMailbox.getOrDefault(m.address(), 0L);
                largest = Math.max(
                        largest, m.largest().isEmpty() ? 0 : m.largest().get(0).size());
            }
            out.add(new DomainTotals(
                    domain,
                    list.size(),
                    listed,
                    loginsFailed,
                    failed,
                    folders,
                    messages,
                    bytes,
                    refused,
                    renamed,
                    merged,
                    over,
                    largest));
        });
        return out;
    }
}
