package io.mxcutover.appliance.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dropwizard.util.Duration;
import io.mxcutover.appliance.audit.AuditEntry;
import io.mxcutover.appliance.audit.AuditLog;
import io.mxcutover.appliance.cutover.CutoverPhase;
import io.mxcutover.appliance.cutover.FinalPass;
import io.mxcutover.appliance.facts.MailboxProgress;
import io.mxcutover.appliance.hook.HookConfig;
import io.mxcutover.appliance.hook.HookEvent;
import io.mxcutover.appliance.hook.HookRuns;
import io.mxcutover.appliance.hook.Hooks;
import io.mxcutover.appliance.plan.DomainPlan;
import io.mxcutover.appliance.plan.MigrationPlan;
import io.mxcutover.appliance.plan.PlanHostPort;
import io.mxcutover.appliance.plan.PlanImapUrl;
import io.mxcutover.appliance.plan.Side;
import io.mxcutover.appliance.store.Store;
import io.mxcutover.appliance.sync.SyncConfig;
import io.mxcutover.appliance.sync.SyncManaged;
import io.mxcutover.it.RealServers;
import io.mxcutover.it.TestServers;
import io.mxcutover.it.TestUser;
import io.mxcutover.sync.batch.BatchState;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches and hooks against the real Dovecot pair: only started batches are copied, pause and resume,
 * "complete" with its additional messages, hooks on every event, failing and hanging hooks reported while
 * the migration goes on, and no password in a hook's environment or arguments.
 */
@ExtendWith(RealServers.class)
class BatchesIT {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private final List<Runnable> cleanup = new ArrayList<>();

    @AfterEach
    void stop() {
        cleanup.forEach(Runnable::run);
    }

    /** The appliance's parts for batches, wired as ApplianceApplication wires them, sync not continuous. */
    private record Parts(
            SyncManaged sync, Batches batches, Hooks hooks, HookRuns runs, AuditLog audit, BatchConfig config) {}

    private Parts parts(TestServers servers, Path dir, HookConfig hookConfig) throws Exception {
        Store store = Store.open(dir.resolve("state.db"));
        SyncConfig config = new SyncConfig();
        config.keyFile = dir.resolve("sync.key").toString();
        config.tempDir = dir.resolve("tmp").toString();
        config.trustAnyCertificate = true;
        config.enabled = false;
        MigrationPlan plan = plan(servers, dir);
        SyncManaged sync =
                new SyncManaged(config, () -> plan, store.dataSource(), d -> CutoverPhase.RELAYING, Clock.systemUTC());
        AuditLog audit = new AuditLog(store, Clock.systemUTC());
        HookRuns runs = new HookRuns(store.dataSource(), Clock.systemUTC());
        Hooks hooks = new Hooks(hookConfig, audit, runs, Clock.systemUTC(), dir.resolve("hook-tmp"));
        BatchConfig batchConfig = new BatchConfig();
        Batches batches = new Batches(store.dataSource(), sync, hooks, runs, audit, batchConfig, Clock.systemUTC());
        sync.start();
        batches.start();
        cleanup.add(() -> {
            batches.stop();
            hooks.close();
            sync.stop();
        });
        return new Parts(sync, batches, hooks, runs, audit, batchConfig);
    }

    @Test
    void batchesShouldCopyOnlyStartedBatchAndReportAdditionalMessagesWhenPausedResumedAndCompleted(
            TestServers servers, @TempDir Path dir) throws Exception {
        String tag = "bat" + ProcessHandle.current().pid() + "x" + SEQ.incrementAndGet();
        TestUser anna = user(servers, tag + "a", "pw-anna-" + tag);
        TestUser ben = user(servers, tag + "b", "pw-ben-" + tag);
        append(servers, anna, "1");
        append(servers, ben, "1");
        HookConfig hookConfig = new HookConfig();
        Path log = dir.resolve("events");
        hookConfig.commands = List.of(
                hook("record", List.of(HookEvent.values()), recorder(dir, log).toString()));
        Parts p = parts(servers, dir, hookConfig);
        String domain = servers.domain();

        p.sync().importCsv(new StringReader(csv(List.of(line(anna, "pilot"), line(ben, "wave-2")))));
        assertThat(p.batches().list(domain))
                .extracting(BatchReport::name, BatchReport::state)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("pilot", BatchState.NEW),
                        org.assertj.core.groups.Tuple.tuple("wave-2", BatchState.NEW));

        // Nothing started: a pass over the domain copies nothing, and "sync now" is refused.
        assertThat(p.sync().finalPass(domain)).isEmpty();
        assertThatThrownBy(() -> p.sync().syncNow(anna.address()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not started");
        assertThat(newMessages(servers, anna)).isZero();

        // The pilot starts: only anna is copied.
        p.batches().command(domain, "pilot", BatchState.Command.START, "admin", "pilot group");
        List<FinalPass> first = p.sync().finalPass(domain);
        assertThat(first).extracting(FinalPass::mailbox).containsExactly(anna.address());
        assertThat(first.get(0).error()).isEmpty();
        assertThat(newMessages(servers, anna)).isEqualTo(1);
        assertThat(newMessages(servers, ben)).isZero();

        // Paused: no new pass, whatever arrives on legacy waits.
        p.batches().command(domain, "pilot", BatchState.Command.PAUSE, "admin", "");
        append(servers, anna, "2");
        assertThat(p.sync().finalPass(domain)).isEmpty();
        assertThat(newMessages(servers, anna)).isEqualTo(1);
        assertThat(p.batches().report(domain, "pilot").orElseThrow().etaReason())
                .startsWith("batch PAUSED");

        // Resumed: the waiting message is copied once; a second pass copies nothing.
        p.batches().command(domain, "pilot", BatchState.Command.RESUME, "admin", "");
        assertThat(p.sync().finalPass(domain))
                .singleElement()
                .satisfies(f -> assertThat(f.additionalMessages()).isEqualTo(1));
        assertThat(p.sync().finalPass(domain))
                .singleElement()
                .satisfies(f -> assertThat(f.additionalMessages()).isZero());
        assertThat(newMessages(servers, anna)).isEqualTo(2).isEqualTo(legacyMessages(servers, anna));

        // Complete after two more arrived on legacy: "2 additional messages" for anna.
        append(servers, anna, "3");
        append(servers, anna, "4");
        Batches.CommandResult done =
                p.batches().command(domain, "pilot", BatchState.Command.COMPLETE, "admin", "pilot moves to new");
        assertThat(done.changed()).isTrue();
        await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> p.batches()
                        .report(domain, "pilot")
                        .orElseThrow()
                        .finalPassState()
                        .equals("done"));
        BatchReport pilot = p.batches().report(domain, "pilot").orElseThrow();
        assertThat(pilot.state()).isEqualTo(BatchState.COMPLETED);
        assertThat(pilot.finalPass()).containsExactly(FinalPass.copied(anna.address(), 2));
        assertThat(pilot.additionalMessages()).isEqualTo(2);
        assertThat(pilot.mailboxesTotal()).isEqualTo(1);
        assertThat(pilot.mailboxesHistoryCopied()).isEqualTo(1);
        assertThat(pilot.messagesCopied()).isEqualTo(4);
        assertThat(pilot.errors()).isEmpty();
        assertThat(newMessages(servers, anna)).isEqualTo(4).isEqualTo(legacyMessages(servers, anna));
        StringWriter csv = new StringWriter();
        BatchReportCsv.write(pilot, csv);
        assertThat(csv.toString()).contains(domain + ",pilot,COMPLETED," + anna.address() + ",SYNCED,4,");
        assertThat(csv.toString().lines().skip(1).findFirst().orElseThrow()).endsWith(",0,,2,");

        // wave-2 untouched throughout.
        assertThat(newMessages(servers, ben)).isZero();
        BatchReport wave2 = p.batches().report(domain, "wave-2").orElseThrow();
        assertThat(wave2.state()).isEqualTo(BatchState.NEW);
        assertThat(wave2.messagesCopied()).isZero();
        assertThat(wave2.mailboxesWaiting()).isEqualTo(1);

        // Readiness: every mailbox, or only those of started batches, as the admin chooses.
        assertThat(p.sync().progress(domain))
                .extracting(MailboxProgress::address)
                .containsExactlyInAnyOrder(anna.address(), ben.address());
        p.config().readiness = BatchConfig.ReadinessScope.STARTED_BATCHES;
        assertThat(p.sync().progress(domain))
                .extracting(MailboxProgress::address)
                .containsExactly(anna.address());

        // The hooks saw anna's history copied once, then the batch completed, with its numbers.
        await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> events(log).stream().anyMatch(e -> e.contains("MXCUTOVER_EVENT=batch-completed")));
        List<String> events = events(log);
        assertThat(events)
                .filteredOn(e -> e.contains("MXCUTOVER_EVENT=mailbox-history-copied"))
                .singleElement()
                .satisfies(e -> assertThat(e).contains("MXCUTOVER_MAILBOX=" + anna.address(), "MXCUTOVER_BATCH=pilot"));
        assertThat(events)
                .filteredOn(e -> e.contains("MXCUTOVER_EVENT=batch-completed"))
                .singleElement()
                .satisfies(e -> assertThat(e)
                        .contains("MXCUTOVER_BATCH=pilot", "MXCUTOVER_DETAIL=2 additional messages in 1 mailbox")
                        .doesNotContain("MXCUTOVER_MAILBOX"));
        assertThat(p.audit().recent(Optional.of(domain), 100))
                .extracting(AuditEntry::action)
                .contains(
                        "batch.start", "batch.pause", "batch.resume", "batch.complete", "batch.final-pass", "hook.ran");
    }

    @Test
    void hooksShouldBeReportedWithoutStoppingMigrationAndNeverSeeAPasswordWhenTheyFailOrHang(
            TestServers servers, @TempDir Path dir) throws Exception {
        String tag = "hok" + ProcessHandle.current().pid() + "x" + SEQ.incrementAndGet();
        TestUser carl = user(servers, tag + "c", "pw-carl-" + tag);
        TestUser dora = user(servers, tag + "d", "pw-dora-" + tag);
        append(servers, carl, "1");
        append(servers, carl, "2");
        Path log = dir.resolve("events");
        HookConfig hookConfig = new HookConfig();
        hookConfig.parallel = 2;
        HookConfig.Command hang = hook(
                "hang",
                List.of(HookEvent.MAILBOX_HISTORY_COPIED, HookEvent.BATCH_COMPLETED),
                HookRunnerScripts.write(dir, "hang.sh", "echo waiting for a ticket system; sleep 300")
                        .toString());
        hang.timeout = Duration.seconds(1);
        hookConfig.commands = List.of(
                hook("record", List.of(HookEvent.values()), recorder(dir, log).toString()),
                hook(
                        "fail",
                        List.of(HookEvent.MAILBOX_HISTORY_COPIED, HookEvent.MAILBOX_FAILED),
                        HookRunnerScripts.write(dir, "fail.sh", "echo provisioning refused >&2; exit 3")
                                .toString()),
                hang);
        Parts p = parts(servers, dir, hookConfig);
        String domain = servers.domain();
        String wrong = "wrong-" + tag;
        p.sync()
                .importCsv(new StringReader(csv(List.of(
                        line(carl, "b2"),
                        dora.address() + "," + dora.login() + "," + wrong + "," + dora.login() + "," + dora.password()
                                + ",b2"))));

        p.batches().command(domain, "b2", BatchState.Command.START, "admin", "");
        List<FinalPass> pass = p.sync().finalPass(domain);
        assertThat(pass)
                .filteredOn(f -> f.mailbox().equals(carl.address()))
                .singleElement()
                .satisfies(f -> assertThat(f.additionalMessages()).isEqualTo(2));
        assertThat(pass)
                .filteredOn(f -> f.mailbox().equals(dora.address()))
                .singleElement()
                .satisfies(f -> assertThat(f.error()).isPresent());

        // The migration does not wait for the hooks: complete runs its final pass while "hang" still hangs.
        append(servers, carl, "3");
        p.batches().command(domain, "b2", BatchState.Command.COMPLETE, "admin", "");
        await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> p.batches()
                        .report(domain, "b2")
                        .orElseThrow()
                        .finalPassState()
                        .equals("done"));
        assertThat(p.batches().report(domain, "b2").orElseThrow().finalPass())
                .contains(FinalPass.copied(carl.address(), 1));
        assertThat(newMessages(servers, carl)).isEqualTo(3);
        p.hooks().phaseChanged(domain, CutoverPhase.RELAYING, CutoverPhase.CATCHING_UP);
        p.hooks().phaseChanged(domain, CutoverPhase.CATCHING_UP, CutoverPhase.COMPLETED);

        // Every event reached the recording hook, with its mailbox or batch.
        // record: 5 events; fail: carl's history, dora's failure; hang: carl's history, the batch.
        await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> events(log).size() >= 5
                        && p.runs()
                                        .recent(Optional.of(domain), Optional.empty(), false, 100)
                                        .size()
                                >= 9);
        List<String> events = events(log);
        assertThat(events)
                .anySatisfy(e -> assertThat(e)
                        .contains(
                                "MXCUTOVER_EVENT=mailbox-history-copied",
                                "MXCUTOVER_MAILBOX=" + carl.address(),
                                "MXCUTOVER_BATCH=b2"));
        assertThat(events)
                .anySatisfy(e -> assertThat(e)
                        .contains("MXCUTOVER_EVENT=mailbox-failed", "MXCUTOVER_MAILBOX=" + dora.address()));
        assertThat(events)
                .anySatisfy(e -> assertThat(e).contains("MXCUTOVER_EVENT=batch-completed", "MXCUTOVER_BATCH=b2"));
        assertThat(events)
                .anySatisfy(
                        e -> assertThat(e).contains("MXCUTOVER_EVENT=domain-cut-over", "MXCUTOVER_DOMAIN=" + domain));
        assertThat(events).anySatisfy(e -> assertThat(e).contains("MXCUTOVER_EVENT=window-closed"));

        // The failing and the hanging hook are reported: audit log with exit code and output, the batch's errors.
        List<AuditEntry> audit = p.audit().recent(Optional.of(domain), 200);
        assertThat(audit).anySatisfy(a -> {
            assertThat(a.action()).isEqualTo("hook.failed");
            assertThat(a.reason()).isEqualTo("hook fail for mailbox-history-copied: failed with exit 3");
            assertThat(a.details()).contains("mailbox: " + carl.address(), "output: provisioning refused");
        });
        assertThat(audit).anySatisfy(a -> {
            assertThat(a.action()).isEqualTo("hook.failed");
            assertThat(a.reason()).isEqualTo("hook hang for batch-completed: timed out after 1 s and was killed");
            assertThat(a.details()).contains("output: waiting for a ticket system");
        });
        assertThat(p.batches().report(domain, "b2").orElseThrow().errors())
                .anySatisfy(e -> assertThat(e).startsWith(dora.address() + ": FAILED"))
                .anySatisfy(e -> assertThat(e)
                        .startsWith("hook fail for mailbox-history-copied of " + carl.address() + ": FAILED (exit 3)"))
                .anySatisfy(e -> assertThat(e).startsWith("hook hang for batch-completed: TIMED_OUT"));

        // No password (the mailboxes' on both sides, the wrong one, the sync key) in what any hook was given.
        String key = Files.readString(dir.resolve("sync.key")).strip();
        List<String> secrets = List.of(carl.password(), dora.password(), wrong, key);
        assertThat(events).isNotEmpty().allSatisfy(e -> assertThat(e).doesNotContain(secrets));
        assertThat(audit).allSatisfy(a -> assertThat(a.reason() + a.details()).doesNotContain(secrets));
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static HookConfig.Command hook(String name, List<HookEvent> events, String program) {
        HookConfig.Command c = new HookConfig.Command();
        c.name = name;
        c.events = events;
        c.command = List.of(program, "--from", "mxcutover");
        return c;
    }

    /** A hook that writes its whole environment and its arguments to one file per run under {@code log}. */
    private static Path recorder(Path dir, Path log) throws Exception {
        Files.createDirectories(log);
        return HookRunnerScripts.write(
                dir,
                "record.sh",
                "f=" + log + "/run-$$; env > \"$f.tmp\"; echo \"ARGS=$*\" >> \"$f.tmp\"; mv \"$f.tmp\" \"$f\"");
    }

    private static List<String> events(Path log) throws Exception {
        try (Stream<Path> files = Files.list(log)) {
            List<String> out = new ArrayList<>();
            for (Path f : files.filter(f -> !f.toString().endsWith(".tmp")).toList()) {
                out.add(Files.readString(f));
            }
            return out;
        }
    }

    private static String csv(List<String> lines) {
        return "address,legacy_login,legacy_password,new_login,new_password,batch\n" + String.join("\n", lines) + "\n";
    }

    private static String line(TestUser u, String batch) {
        return u.address() + "," + u.login() + "," + u.password() + "," + u.login() + "," + u.password() + "," + batch;
    }

    /** The user on both servers, once both accept its login (Dovecot re-reads its passwd-file once a second). */
    private static TestUser user(TestServers servers, String login, String password) throws Exception {
        TestUser legacy = servers.legacyImap().createUser(login, password);
        TestUser fresh = servers.newImap().createUser(login, password);
        await().atMost(java.time.Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> count(servers.newImap().host(), servers.newImap().port(), fresh) >= 0
                        && count(
                                        servers.legacyImap().host(),
                                        servers.legacyImap().port(),
                                        legacy)
                                >= 0);
        return legacy;
    }

    /** APPENDs one message with its own Message-ID to the user's INBOX on legacy. */
    private static void append(TestServers servers, TestUser user, String n) throws Exception {
        byte[] msg = ("From: a@example.test\r\nSubject: batch " + n + "\r\nMessage-ID: <batch-" + n + "-" + user.login()
                        + "@x>\r\n\r\nmessage " + n + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (Socket s =
                new Socket(servers.legacyImap().host(), servers.legacyImap().port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            in.readLine();
            out.write(
                    ("a LOGIN " + user.login() + " " + user.password() + "\r\nb APPEND INBOX {" + msg.length + "+}\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.write(msg);
            out.write("\r\nc LOGOUT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String b = null;
            for (String line; (line = in.readLine()) != null && !line.startsWith("c "); ) {
                if (line.startsWith("b ")) {
                    b = line;
                }
            }
            assertThat(b).startsWith("b OK");
        }
    }

    private static long newMessages(TestServers servers, TestUser user) throws Exception {
        return count(servers.newImap().host(), servers.newImap().port(), user);
    }

    private static long legacyMessages(TestServers servers, TestUser user) throws Exception {
        return count(servers.legacyImap().host(), servers.legacyImap().port(), user);
    }

    private static final Pattern MESSAGES = Pattern.compile("MESSAGES (\\d+)");

    /** STATUS INBOX (MESSAGES) after a LOGIN; throws when the login is refused. */
    static long count(String host, int port, TestUser user) throws Exception {
        try (Socket s = new Socket(host, port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            in.readLine();
            out.write(("a LOGIN " + user.login() + " " + user.password()
                            + "\r\nb STATUS INBOX (MESSAGES)\r\nc LOGOUT\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long messages = -1;
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("a ") && !line.startsWith("a OK")) {
                    throw new IllegalStateException("login refused: " + line);
                }
                Matcher m = MESSAGES.matcher(line);
                if (line.startsWith("* STATUS") && m.find()) {
                    messages = Long.parseLong(m.group(1));
                }
                if (line.startsWith("c ")) {
                    break;
                }
            }
            if (messages < 0) {
                throw new IllegalStateException("no STATUS answer");
            }
            return messages;
        }
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
                java.time.Duration.ofHours(48),
                java.time.Duration.ofHours(1),
                List.of(new DomainPlan(servers.domain(), false, true, legacy, fresh, List.of())));
    }
}
