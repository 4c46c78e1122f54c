package io.mxcutover.sync.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mxcutover.sync.folder.FolderInfo;
import io.mxcutover.sync.testing.DovecotPair;
import io.mxcutover.sync.testing.SyncFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CREATE on the real new Dovecot (Maildir, LAYOUT=fs), sent without a LIST first: a new folder is created, one that
 * is there already (INBOX, or created before) is fine, and a name the server refuses fails with its own words and
 * leaves nothing behind.
 */
@ExtendWith(DovecotPair.class)
class ImapTargetStoreIT {

    @Test
    void createShouldMakeNewFoldersAcceptExistingOnesAndReportARefusalInTheServersWords(DovecotPair.Servers servers)
            throws Exception {
        String login = servers.newUser("create");
        var account = SyncFixture.account(login);
        var settings = SyncFixture.settings(servers);
        try (ImapTargetStore t = ImapTargetStore.open(settings.target(), account.target(), settings.imap())) {
            t.createFolder("Work");
            t.createFolder("Work"); // there already: CREATE answered NO, the folder is looked up
            t.createFolder("INBOX");
            t.createFolder("Projects/2026");
            assertThatThrownBy(() -> t.createFolder("Projects/new"))
                    .isInstanceOf(ImapException.class)
                    .hasMessageContaining("refused to create folder 'Projects/new'")
                    .hasMessageContaining("reserved name")
                    .satisfies(e -> assertThat(((ImapException) e).kind()).isEqualTo(ImapException.Kind.REFUSED));
            assertThat(t.folders())
                    .extracting(FolderInfo::name)
                    .contains("INBOX", "Work", "Projects", "Projects/2026")
                    .doesNotContain("Projects/new");
        }
    }
}
