package io.mxcutover.appliance.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.appliance.cutover.CutoverPhase;
import io.mxcutover.appliance.cutover.MailboxLogin;
import io.mxcutover.appliance.plan.MigrationPlan;
import io.mxcutover.appliance.store.Store;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sync as the post-cutover probes' credential source: imported new-server passwords, per domain. */
class SyncManagedTest {

    @Test
    void newServerLoginsShouldListImportedPasswordsWhenMailboxesOfDomainImported(@TempDir Path dir) throws Exception {
        SyncManaged sync = sync(dir);
        sync.importCsv(new StringReader("""
                address,legacy_login,legacy_password,new_login,new_password,new_auth
                anna@example.test,anna-old,old-pw,anna,new-pw,password
                ben@example.test,ben-old,old-pw,ben,,password
                carl@example.test,carl-old,old-pw,carl,token-123,xoauth2
                dora@other.test,dora-old,old-pw,dora,dora-pw,password
                """));

        List<MailboxLogin> logins = sync.newServerLogins("EXAMPLE.test");

        assertThat(logins).containsExactly(new MailboxLogin("anna@example.test", "anna", "new-pw"));
        assertThat(sync.newServerLogins("other.test")).extracting(MailboxLogin::password).containsExactly("dora-pw");
        assertThat(sync.newServerLogins("unknown.test")).isEmpty();
    }

    @Test
    void newServerLoginsShouldLeaveMailboxOutWhenKeyChangedSinceImport(@TempDir Path dir) throws Exception {
        sync(dir).importCsv(new StringReader("anna:new-pw:anna@example.test\n"));
        java.nio.file.Files.delete(dir.resolve("sync.key"));

        assertThat(sync(dir).newServerLogins("example.test")).isEmpty();
    }

    @Test
    void importShouldRefuseWholeListWhenMailboxOutsidePlanDomains(@TempDir Path dir) throws Exception {
        SyncManaged sync = sync(dir);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sync.importCsv(new StringReader(
                "anna:pw:anna@example.test\nzoe:pw:zoe@elsewhere.test\n")))
                .isInstanceOf(io.mxcutover.sync.mailbox.InvalidMailboxList.class)
                .hasMessageContaining("line 2: mailbox zoe@elsewhere.test is not in a domain of the plan");
        assertThat(sync.report().mailboxes()).isEmpty();
    }

    private static SyncManaged sync(Path dir) throws Exception {
        SyncConfig config = new SyncConfig();
        config.keyFile = dir.resolve("sync.key").toString();
        config.tempDir = dir.resolve("tmp").toString();
        config.enabled = false;
        io.mxcutover.appliance.plan.Side noImap = new io.mxcutover.appliance.plan.Side(
                List.of(new io.mxcutover.appliance.plan.HostPort("127.0.0.1", 25)), java.util.Optional.empty(), List.of());
        MigrationPlan plan = new MigrationPlan(dir.resolve("plan.yml"), "x", Duration.ofHours(48), Duration.ofHours(1),
                List.of(new io.mxcutover.appliance.plan.DomainPlan("example.test", false, true, noImap, noImap, List.of()),
                        new io.mxcutover.appliance.plan.DomainPlan("other.test", false, true, noImap, noImap, List.of())));
        return new SyncManaged(config, () -> plan, Store.open(dir.resolve("state.db")).dataSource(),
                d -> CutoverPhase.RELAYING, Clock.systemUTC());
    }
}
