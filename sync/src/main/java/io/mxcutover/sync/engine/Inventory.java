package io.mxcutover.sync.engine;

import io.mxcutover.sync.folder.FolderInfo;
import io.mxcutover.sync.folder.Namespace;
import io.mxcutover.sync.imap.ImapException;
import io.mxcutover.sync.imap.ImapSourceStore;
import io.mxcutover.sync.mailbox.MailboxAccount;
import io.mxcutover.sync.run.SyncSettings;
import io.mxcutover.sync.state.FolderCheckpoint.SideStatus;
import io.mxcutover.sync.state.SyncStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The source inventory of a mailbox no pass has listed yet, so the ETA knows what is left there before its
 * copy starts: one login to the source, LIST, and STATUS MESSAGES per folder the copy would take (the same
 * folder rules). Read-only, like the copy (STATUS selects nothing). The bytes stay unknown until a pass
 * fetches the folder's metadata.
 */
public final class Inventory {
    private Inventory() {}

    /**
     * Lists the mailbox on the source and records what each folder holds; returns the messages found. All or
     * nothing: a folder whose STATUS the source refuses throws {@link IllegalStateException} and records nothing.
     */
    public static long take(SyncStore store, SyncSettings settings, MailboxAccount account) throws ImapException {
        try (ImapSourceStore source = ImapSourceStore.open(settings.source(), account.source(), settings.imap())) {
            Namespace ns = source.namespace();
            var folders = source.folders();
            Map<String, Long> messages = new LinkedHashMap<>();
            for (FolderInfo folder : folders) {
                if (!folder.selectable()
                        || !settings.folderRulesFor(account.address()).accepts(folder.name(), ns)) {
                    continue;
                }
                Optional<SideStatus> status = source.status(folder.name());
                if (status.isEmpty()) {
                    // A folder left out would make the ETA count less than is there: record nothing, so the
                    // mailbox stays "not listed" (ETA unknown) until its first pass lists it.
                    throw new IllegalStateException("the source refused STATUS for folder '" + folder.name() + "' of "
                            + account.address() + "; nothing recorded for the ETA");
                }
                messages.put(folder.name(), status.get().messages());
            }
            store.recordListed(
                    account.address(),
                    messages,
                    folders.stream().map(FolderInfo::name).collect(Collectors.toSet()));
            return messages.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
