package io.mxcutover.appliance.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.appliance.cutover.CutoverPhase;
import io.mxcutover.appliance.cutover.FinalPass;
import io.mxcutover.appliance.plan.DomainPlan;
import io.mxcutover.appliance.plan.MigrationPlan;
import io.mxcutover.appliance.plan.PlanHostPort;
import io.mxcutover.appliance.plan.PlanImapUrl;
import io.mxcutover.appliance.plan.Side;
import io.mxcutover.appliance.store.Store;
import io.mxcutover.it.RealServers;
import io.mxcutover.it.TestServers;
import io.mxcutover.it.TestUser;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The appliance's sync against the real Dovecot pair: import, final pass, readiness facts for the cutover. */
@ExtendWith(RealServers.class)
public class SyncManagedIT {
    @Test
    void finalPassShouldCopyMailboxAndReportHistoryCopiedWhenServersInPlan(TestServers servers, @TempDir Path dir)
            throws Exception {
        String login = "appl" + ProcessHandle.current().pid();
        TestUser legacyUser = servers.legacyImap().createUser(login, login + "-pw");
        servers.newImap().createUser(login, login + "-pw");
        appendTo(servers.legacyImap().host(), servers.legacyImap().port(), legacyUser);

        Store store = Store.open(dir.resolve("state.db"));
        Side legacy = new Side(
                List.of(new PlanHostPort("127.0.0.1", 25)),
                Optional.of(new PlanImapUrl(
                        servers.legacyImap().host(), servers.legacyImap().port(), false)),
                List.of());
        Side fresh = new Side(
                List.of(new PlanHostPort("127.0.0.1", 25)),
                Optional.of(new PlanImapUrl(
                        servers.newImap().host(), servers.newImap().port(), false)),
                List.of());
        MigrationPlan plan = new MigrationPlan(
                dir.resolve("plan.yml"),
                "x",
                Duration.ofHours(48),
                Duration.ofHours(1),
                List.of(new DomainPlan(servers.domain(), false, true, legacy, fresh, List.of())));
        SyncConfig config = new SyncConfig();
        config.keyFile = dir.resolve("sync.key").toString();
        config.tempDir = dir.resolve("tmp").toString();
        config.trustAnyCertificate = true;
        config.enabled = false;
        SyncManaged sync =
                new SyncManaged(config, () -> plan, store.dataSource(), d -> CutoverPhase.RELAYING, Clock.systemUTC());
        try {
            sync.start();
            sync.importCsv(new StringReader(login + ":" + login + "-pw:" + legacyUser.address() + "\n"));
            // Dovecot re-reads its passwd-file at most once a second.
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> sync.finalPass(servers.domain()).stream()
                            .allMatch(p -> p.error().isEmpty()));
            assertThat(sync.progress(servers.domain()))
                    .singleElement()
                    .satisfies(p -> assertThat(p.historyCopied()).isTrue());
            assertThat(sync.summary(servers.domain()).messagesCopied()).isEqualTo(1);
            List<FinalPass> again = sync.finalPass(servers.domain());
            assertThat(again)
                    .singleElement()
                    .satisfies(p -> assertThat(p.additionalMessages()).isZero());
            assertThat(sync.verify(legacyUser.address(), "test")
                            .orElseThrow()
                            .verdict()
                            .name())
                    .isEqualTo("READY");
        } finally {
            sync.stop();
        }
    }

    @Test
    void domainVerifyShouldStoreResultsThatPassGateAndSurviveRestartWhenEverythingCopied(
            TestServers servers, @TempDir Path dir) throws Exception {
        String login = "vrfy" + ProcessHandle.current().pid();
        TestUser anna = servers.legacyImap().createUser(login + "a", "pw-a");
        TestUser ben = servers.legacyImap().createUser(login + "b", "pw-b");
        servers.newImap().createUser(login + "a", "pw-a");
        servers.newImap().createUser(login + "b", "pw-b");
        appendTo(servers.legacyImap().host(), servers.legacyImap().port(), anna);
        appendTo(servers.legacyImap().host(), servers.legacyImap().port(), ben);
        Store store = Store.open(dir.resolve("state.db"));
        MigrationPlan plan = plan(servers, dir);
        SyncManaged sync = new SyncManaged(
                config(dir), () -> plan, store.dataSource(), d -> CutoverPhase.RELAYING, Clock.systemUTC());
        java.time.Instant before = Clock.systemUTC().instant();
        try {
            sync.importCsv(new StringReader(
                    anna.login() + ":pw-a:" + anna.address() + "\n" + ben.login() + ":pw-b:" + ben.address() + "\n"));
            // Before any copy: unknown, then listed for the ETA without copying anything.
            assertThat(sync.report().mailboxesNotListed()).isEqualTo(2);
            assertThat(sync.inventoryPending(servers.domain())).isEqualTo(2);
            assertThat(sync.report().mailboxesNotListed()).isZero();
            assertThat(sync.report().messagesRemaining()).isEqualTo(2);
            assertThat(sync.report().messagesCopied()).isZero();
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> sync.finalPass(servers.domain()).stream()
                            .allMatch(p -> p.error().isEmpty()));
            assertThat(verification(sync.progress(servers.domain()), before)
                            .state()
                            .name())
                    .isEqualTo("FAIL");

            assertThat(sync.report().messagesRemaining()).isZero();
            assertThat(sync.report().eta()).contains(Duration.ZERO);
            VerifyJob started = sync.verifyDomain(servers.domain(), "admin").orElseThrow();
            assertThat(started.mailboxesTotal()).isEqualTo(2);
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> !sync.verifyJob(servers.domain()).orElseThrow().running());
            VerifyJob done = sync.verifyJob(servers.domain()).orElseThrow();
            assertThat(done.mailboxesDone()).isEqualTo(2);
            assertThat(done.mailboxesClean()).isEqualTo(2);
            assertThat(done.finishedAt()).isPresent();
        } finally {
            sync.stop();
        }

        // A new appliance on the same store: the results are read back, and the gate judges them by their age.
        SyncManaged restarted = new SyncManaged(
                config(dir), () -> plan, store.dataSource(), d -> CutoverPhase.RELAYING, Clock.systemUTC());
        List<io.mxcutover.appliance.facts.MailboxProgress> progress = restarted.progress(servers.domain());
        assertThat(progress).hasSize(2).allSatisfy(p -> {
            assertThat(p.verification()).isPresent();
            assertThat(p.verification().get().verdict()).isEqualTo("READY");
            assertThat(p.verification().get().folders()).isPositive();
            assertThat(p.verification().get().takenAt())
                    .isAfterOrEqualTo(before.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        });
        assertThat(restarted.storedVerifications(servers.domain()))
                .extracting(StoredVerification::sourceMessages)
                .containsExactly(1L, 1L);
        assertThat(restarted
                        .storedVerification(anna.address())
                        .orElseThrow()
                        .detail()
                        .get("folders"))
                .isNotEmpty();
        java.time.Instant takenAt = progress.get(0).verification().get().takenAt();
        assertThat(verification(progress, takenAt.plus(Duration.ofHours(1)))
                        .state()
                        .name())
                .isEqualTo("PASS");
        assertThat(verification(progress, takenAt.plus(Duration.ofHours(25))))
                .satisfies(c -> assertThat(c.state().name()).isEqualTo("FAIL"))
                .satisfies(c -> assertThat(c.reason()).contains("older than the limit of 24h", anna.address()));
    }

    @Test
    void planFolderRulesShouldDecideWhichFoldersReachNewAndUnderWhichName(TestServers servers, @TempDir Path dir)
            throws Exception {
        String login = "frul" + ProcessHandle.current().pid();
        TestUser user = servers.legacyImap().createUser(login, login + "-pw");
        servers.newImap().createUser(login, login + "-pw");
        appendTo(servers.legacyImap().host(), servers.legacyImap().port(), user);
        jakarta.mail.Session mail = jakarta.mail.Session.getInstance(new java.util.Properties());
        try (jakarta.mail.Store imap = mail.getStore("imap")) {
            imap.connect(servers.legacyImap().host(), servers.legacyImap().port(), user.login(), user.password());
            String prefix = imap.getPersonalNamespaces()[0].getFullName();
            char sep = imap.getDefaultFolder().getSeparator();
            if (!prefix.isEmpty() && prefix.charAt(prefix.length() - 1) != sep) {
                prefix = prefix + sep;
            }
            for (String name : List.of("Junk", "Archive", "Private", "Projects")) {
                jakarta.mail.Folder f = imap.getFolder(prefix + name);
                assertThat(f.create(jakarta.mail.Folder.HOLDS_MESSAGES)).isTrue();
                byte[] bytes = ("From: a@example.test\r\nSubject: in " + name + "\r\nMessage-ID: <" + name
                                + "@frul>\r\n\r\nhi\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
                f.appendMessages(new jakarta.mail.Message[] {
                    new jakarta.mail.internet.MimeMessage(mail, new java.io.ByteArrayInputStream(bytes))
                });
            }
        }
        // The domain's rules leave out Junk and rename Archive; this mailbox's own rules also leave out Private.
        DomainPlan domain = plan(servers, dir)
                .domains()
                .get(0)
                .withFolders(
                        new io.mxcutover.sync.folder.FolderRules(
                                List.of(), List.of("Junk"), java.util.Map.of("Archive", "Old")),
                        java.util.Map.of(
                                user.address().toLowerCase(java.util.Locale.ROOT),
                                new io.mxcutover.sync.folder.FolderRules(
                                        List.of(), List.of("Private"), java.util.Map.of())));
        MigrationPlan plan = new MigrationPlan(
                dir.resolve("plan.yml"), "x", Duration.ofHours(48), Duration.ofHours(1), List.of(domain));
        Store store = Store.open(dir.resolve("state.db"));
        SyncManaged sync = new SyncManaged(
                config(dir), () -> plan, store.dataSource(), d -> CutoverPhase.RELAYING, Clock.systemUTC());
        try {
            sync.importCsv(new StringReader(user.login() + ":" + user.password() + ":" + user.address() + "\n"));
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> sync.finalPass(servers.domain()).stream()
                            .allMatch(p -> p.error().isEmpty()));
        } finally {
            sync.stop();
        }
        java.util.Map<String, Integer> onNew = new java.util.TreeMap<>();
        try (jakarta.mail.Store imap = mail.getStore("imap")) {
            imap.connect(servers.newImap().host(), servers.newImap().port(), user.login(), user.password());
            for (jakarta.mail.Folder f : imap.getDefaultFolder().list("*")) {
                if ((f.getType() & jakarta.mail.Folder.HOLDS_MESSAGES) != 0) {
                    onNew.put(f.getFullName(), f.getMessageCount());
                }
            }
        }
        // Copied: INBOX, Projects, Archive as Old. Left out: Junk (domain), Private (mailbox). The new server may
        // create its own special-use folders (Junk, Archive...): they stay empty.
        assertThat(onNew).containsEntry("INBOX", 1).containsEntry("Projects", 1).containsEntry("Old", 1);
        assertThat(onNew.getOrDefault("Junk", 0)).isZero();
        assertThat(onNew.getOrDefault("Archive", 0)).isZero();
        assertThat(onNew).doesNotContainKey("Private");
    }

    private static io.mxcutover.appliance.readiness.Check verification(
            List<io.mxcutover.appliance.facts.MailboxProgress> mailboxes, java.time.Instant now) {
        var up = io.mxcutover.appliance.probe.ProbeResult.reachable("220");
        return io.mxcutover.appliance.readiness.Readiness.evaluate(new io.mxcutover.appliance.readiness.ReadinessInputs(
                        "example.test",
                        mailboxes,
                        up,
                        up,
                        0,
                        io.mxcutover.appliance.facts.DnsVerdict.NOT_SWITCHED,
                        "",
                        now,
                        Duration.ofHours(24),
                        io.mxcutover.appliance.plan.MxFlow.SWITCH_AT_GO_LIVE))
                .checks()
                .stream()
                .filter(c -> c.name().equals(io.mxcutover.appliance.readiness.Check.VERIFICATION))
                .findFirst()
                .orElseThrow();
    }

    private static MigrationPlan plan(TestServers servers, Path dir) {
        Side legacy = new Side(
                List.of(new PlanHostPort("127.0.0.1", 25)),
                Optional.of(new PlanImapUrl(
                        servers.legacyImap().host(), servers.legacyImap().port(), false)),
                List.of());
        Side fresh = new Side(
                List.of(new PlanHostPort("127.0.0.1", 25)),
                Optional.of(new PlanImapUrl(
                        servers.newImap().host(), servers.newImap().port(), false)),
                List.of());
        return new MigrationPlan(
                dir.resolve("plan.yml"),
                "x",
                Duration.ofHours(48),
                Duration.ofHours(1),
                List.of(new DomainPlan(servers.domain(), false, true, legacy, fresh, List.of())));
    }

    private static SyncConfig config(Path dir) {
        SyncConfig config = new SyncConfig();
        config.keyFile = dir.resolve("sync.key").toString();
        config.tempDir = dir.resolve("tmp").toString();
        config.trustAnyCertificate = true;
        config.enabled = false;
        return config;
    }

    public static void appendTo(String host, int port, TestUser user) throws Exception {
        byte[] msg = "From: a@example.test\r\nSubject: appliance\r\nMessage-ID: <appl@x>\r\n\r\nhi\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> {
                    try (Socket s = new Socket(host, port)) {
                        s.setSoTimeout(10_000);
                        OutputStream out = s.getOutputStream();
                        var in = new java.io.BufferedReader(
                                new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                        in.readLine();
                        out.write(("a LOGIN " + user.login() + " " + user.password() + "\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        String line = in.readLine();
                        while (!line.startsWith("a ")) { // untagged
                            line = in.readLine();
                        }
                        if (!line.startsWith("a OK")) {
                            return false;
                        }
                        out.write(("b APPEND INBOX {" + msg.length + "+}\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(msg);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        line = in.readLine();
                        while (!line.startsWith("b ")) { // untagged
                            line = in.readLine();
                        }
                        return line.startsWith("b OK");
                    }
                });
    }
}
