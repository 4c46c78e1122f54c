package io.mxcutover.appliance.cli;

import static io.mxcutover.appliance.cutover.CutoverPhase.CATCHING_UP;
import static io.mxcutover.appliance.cutover.CutoverPhase.COMPLETED;
import static io.mxcutover.appliance.cutover.CutoverPhase.RELAYING;
import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.appliance.audit.AuditEntry;
import io.mxcutover.appliance.audit.AuditLog;
import io.mxcutover.appliance.store.DomainPhases;
import io.mxcutover.appliance.store.Store;
import io.mxcutover.appliance.store.StoreSettings;
import io.mxcutover.dnscheck.poll.LookupOutcome;
import io.mxcutover.dnscheck.poll.NameServer;
import io.mxcutover.dnscheck.poll.Observation;
import io.mxcutover.dnscheck.poll.Poll;
import io.mxcutover.dnscheck.poll.ServerReply;
import io.mxcutover.dnscheck.propagation.Verdict;
import io.mxcutover.dnscheck.watch.JdbcPollStore;
import io.mxcutover.it.PostgresServer;
import io.mxcutover.sync.batch.BatchStore;
import io.mxcutover.sync.credential.Login;
import io.mxcutover.sync.credential.SecretBox;
import io.mxcutover.sync.mailbox.MailboxAccount;
import io.mxcutover.sync.state.SyncStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./mxcutover store migrate}: a SQLite store written by the appliance's own code (phases, audit, sealed
 * mailboxes, batches, DNS polls) copied into a fresh PostgreSQL database, verified, and read back by a store opened on
 * PostgreSQL; a second run into the same database is refused unless forced.
 */
class StoreMigratePostgresIT {
    @TempDir
    Path dir;

    final Clock clock = Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), ZoneOffset.UTC);
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void aNodesSqliteStateShouldReadTheSameOnPostgresqlAfterTheMigrate() throws Exception {
        Path db = dir.resolve("var/mxcutover.db");
        SecretBox box = SecretBox.fromKeyFile(dir.resolve("var/credentials.key"));
        List<AuditEntry> auditBefore;
        try (Store sqlite = Store.open(db)) {
            DomainPhases phases = new DomainPhases(sqlite, clock);
            assertThat(phases.transition("a.example", RELAYING, CATCHING_UP, "admin", "go-live", "{}"))
                    .isTrue();
            assertThat(phases.transition("a.example", CATCHING_UP, COMPLETED, "admin", "window closed", "{}"))
                    .isTrue();
            AuditLog audit = new AuditLog(sqlite, clock);
            for (int i = 0; i < 5; i++) { // one millisecond: the order is the stored sequence
                audit.record("operator", Optional.of("b.example"), "note." + i, "same millisecond", "é ß 中");
            }
            auditBefore = audit.recent(Optional.empty(), 50);
            SyncStore sync = new SyncStore(sqlite.dataSource(), clock);
            sync.saveMailboxes(
                    List.of(
                            new MailboxAccount(
                                    "anna@a.example",
                                    Login.password("anna", "legacy-pw-1"),
                                    Login.password("anna", "new-pw-1")),
                            new MailboxAccount(
                                    "ben@a.example", Login.password("ben", "legacy-pw-2"), Login.password("ben", ""))),
                    box);
            new BatchStore(sqlite.dataSource(), clock).assign(Map.of("anna@a.example", "pilot"), "admin");
            NameServer ns = new NameServer("ns1", NameServer.Role.AUTHORITATIVE, "127.0.0.1", 5301);
            ServerReply mx = new ServerReply(
                    new LookupOutcome.NoError(List.of("10 mx.new.example"), 300), true, false, Duration.ofMillis(4));
            ServerReply a = new ServerReply(new LookupOutcome.NoData(60), true, false, Duration.ofMillis(2));
            new JdbcPollStore(sqlite.dataSource())
                    .save(
                            new Poll("a.example", clock.instant(), List.of(new Observation(ns, mx, a))),
                            Verdict.PROPAGATED);
        }

        PostgresServer pg = PostgresServer.shared();
        String url = pg.newDatabase("store_migrate");
        Path passwordFile = dir.resolve("pg.password");
        Files.writeString(passwordFile, pg.password() + "\n");
        String to = url.substring("jdbc:".length()); // postgresql://HOST:PORT/DB, as an admin writes it

        assertThat(migrate("sqlite:" + db, to, Optional.of(passwordFile), false))
                .as(err.toString(StandardCharsets.UTF_8))
                .isZero();
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed)
                .contains("domain_phase", "audit_log", "sync_mailbox", "dnscheck_poll", "tables verified")
                .doesNotContain("DIFFERS")
                .doesNotContain(pg.password());
        assertThat(printed).containsPattern("domain_phase +1 rows");
        assertThat(printed).containsPattern("audit_log +7 rows");

        try (Store postgres = Store.open(StoreSettings.postgresql(db, url, pg.user(), pg.password()))) {
            assertThat(new DomainPhases(postgres, clock).phase("a.example")).isEqualTo(COMPLETED);
            assertThat(new AuditLog(postgres, clock).recent(Optional.empty(), 50))
                    .containsExactlyElementsOf(auditBefore);
            SyncStore sync = new SyncStore(postgres.dataSource(), clock);
            assertThat(sync.account("anna@a.example", box)
                            .orElseThrow()
                            .target()
                            .secret()
                            .reveal())
                    .isEqualTo("new-pw-1");
            assertThat(sync.mailboxes()).hasSize(2);
            assertThat(new BatchStore(postgres.dataSource(), clock).members("a.example", "pilot"))
                    .containsExactly("anna@a.example");
            assertThat(new JdbcPollStore(postgres.dataSource()).history("a.example"))
                    .hasSize(1);
            // The node keeps writing where the copy stopped (no key collides with a copied row).
            new AuditLog(postgres, clock).record("admin", Optional.empty(), "after.migrate", "", "");
            try (Connection c = postgres.dataSource().getConnection();
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT COUNT(*) FROM audit_log")) {
                r.next();
                assertThat(r.getLong(1)).isEqualTo(8);
            }
        }

        // Again into the same, now non-empty database: refused, nothing changed; --force copies over.
        out.reset();
        assertThat(migrate("sqlite:" + db, to, Optional.of(passwordFile), false))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("already holds rows", "--force");
        err.reset();
        assertThat(migrate("sqlite:" + db, "jdbc:" + to, Optional.empty(), true))
                .as(err.toString(StandardCharsets.UTF_8))
                .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).containsPattern("audit_log +7 rows");
    }

    @Test
    void aMissingPasswordOrSourceShouldBeRefusedBeforeAnyConnection() {
        assertThat(migrate("sqlite:" + dir.resolve("none.db"), "postgresql://127.0.0.1:1/x", Optional.empty(), false))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("MXCUTOVER_STORE_PASSWORD");
        err.reset();
        assertThat(new StoreCommand(print(out), print(err), code -> {}, Map.of(StoreCommand.PASSWORD_ENV, "pw"))
                        .migrate(
                                "sqlite:" + dir.resolve("none.db"),
                                "postgresql://127.0.0.1:1/x",
                                "mxcutover",
                                Optional.empty(),
                                false))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no SQLite store at");
        assertThat(migrate("mysql:x", "postgresql://127.0.0.1:1/x", Optional.empty(), false))
                .isEqualTo(2);
    }

    private int migrate(String from, String to, Optional<Path> passwordFile, boolean force) {
        PostgresServer pg = passwordFile.isPresent() || !to.contains("127.0.0.1:1/") ? PostgresServer.shared() : null;
        Map<String, String> env =
                pg == null || passwordFile.isPresent() ? Map.of() : Map.of(StoreCommand.PASSWORD_ENV, pg.password());
        return new StoreCommand(print(out), print(err), code -> {}, env)
                .migrate(from, to, pg == null ? "mxcutover" : pg.user(), passwordFile, force);
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
