package io.mxcutover.sync.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mxcutover.it.MutableClock;
import io.mxcutover.sync.engine.FaultInjector;
import io.mxcutover.sync.engine.Inventory;
import io.mxcutover.sync.engine.MailboxResult;
import io.mxcutover.sync.folder.FolderRules;
import io.mxcutover.sync.imap.ImapEndpoint;
import io.mxcutover.sync.mailbox.MailboxAccount;
import io.mxcutover.sync.state.MailboxStatus;
import io.mxcutover.sync.testing.DovecotPair;
import io.mxcutover.sync.testing.ImapProxy;
import io.mxcutover.sync.testing.RawImapClient;
import io.mxcutover.sync.testing.RawImapClient.Fetched;
import io.mxcutover.sync.testing.SyncFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Servers that say no or go away: the failure stays where it belongs and the next pass repairs it. */
@ExtendWith(DovecotPair.class)
class SyncBadInputIT {
    /** Body FETCHes a session keeps at the server at once ({@code ImapSession.FETCH_WINDOW}). */
    private static final int FETCH_WINDOW = 2;

    /**
     * Maildir++ on legacy allows a folder {@code Projects.new}; the new server (Maildir {@code LAYOUT=fs})
     * refuses {@code Projects/new} ("Contains reserved name": cur/new/tmp are its directories).
     */
    @Test
    void folderTargetRefusesShouldFailThatFolderWithServerWordsWhileOthersCopied(
            DovecotPair.Servers servers, @TempDir Path tmp) throws Exception {
        String user = servers.newUser("refdir");
        try (RawImapClient c =
                new RawImapClient(servers.legacy().host(), servers.legacy().port(), user, user + "-pw")) {
            c.create("INBOX.Projects.new");
            c.create("INBOX.Work");
            c.append("INBOX", null, null, SyncFixture.message("Subject: inbox\nMessage-ID: <rd1@x>", "a\n"));
            c.append(
                    "INBOX.Projects.new",
                    null,
                    null,
                    SyncFixture.message("Subject: project\nMessage-ID: <rd2@x>", "b\n"));
            c.append("INBOX.Work", null, null, SyncFixture.message("Subject: work\nMessage-ID: <rd3@x>", "c\n"));
        }
        String address = user + "@example.test";
        try (SyncService service = SyncFixture.service(servers, tmp, FaultInjector.NONE)) {
            service.addMailboxes(List.of(SyncFixture.account(user)));
            MailboxResult r = service.syncOnce(address);

            assertThat(r.phase()).isEqualTo(MailboxStatus.Phase.INCOMPLETE);
            assertThat(r.copied()).isEqualTo(2);
            assertThat(r.reason())
                    .contains(
                            "INBOX.Projects.new",
                            "refused to create folder 'Projects/new'",
                            "Contains reserved name",
                            "rename");
            assertThat(service.store().failures(address)).singleElement().satisfies(f -> {
                assertThat(f.scope()).isEqualTo("FOLDER");
                assertThat(f.sourceFolder()).isEqualTo("INBOX.Projects.new");
            });
            assertThat(folder(servers, user, "INBOX")).hasSize(1);
            assertThat(folder(servers, user, "Work")).hasSize(1);
        }
        // The admin's remedy: a rename rule. The next pass copies the folder under its new name.
        SyncSettings renamed = SyncFixture.settings(servers)
                .withFolderRules(new FolderRules(List.of(), List.of(), Map.of("Projects/new", "Projects/new mail")));
        try (SyncService service = SyncFixture.service(renamed, tmp, FaultInjector.NONE)) {
            MailboxResult r = service.syncOnce(address);
            assertThat(r.phase()).as(String.valueOf(r.reason())).isEqualTo(MailboxStatus.Phase.SYNCED);
            assertThat(r.copied()).isEqualTo(1);
            assertThat(folder(servers, user, "Projects/new mail"))
                    .singleElement()
                    .satisfies(m -> assertThat(new String(m.body(), java.nio.charset.StandardCharsets.UTF_8))
                            .contains("Subject: project"));
            assertThat(service.store().failures(address)).isEmpty();
        }
    }

    /**
     * Legacy lists a folder but answers its STATUS with an error (deleted meanwhile, or a server fault):
     * nothing is known about that folder, so the pass is INCOMPLETE and names it (it was skipped silently
     * and the mailbox said SYNCED); the next pass copies it.
     */
    @Test
    void folderWhoseStatusIsRefusedShouldMakeThePassIncompleteNotSkipIt(DovecotPair.Servers servers, @TempDir Path tmp)
            throws Exception {
        String user = servers.newUser("status");
        try (RawImapClient c =
                new RawImapClient(servers.legacy().host(), servers.legacy().port(), user, user + "-pw")) {
            c.create("INBOX.Work");
            c.append("INBOX", null, null, SyncFixture.message("Subject: i\nMessage-ID: <si@x>", "i\n"));
            c.append("INBOX.Work", null, null, SyncFixture.message("Subject: w\nMessage-ID: <sw@x>", "w\n"));
        }
        try (ImapProxy proxy =
                new ImapProxy(servers.legacy().host(), servers.legacy().port())) {
            SyncSettings base = SyncFixture.settings(servers);
            SyncSettings settings = base.withEndpoints(ImapEndpoint.of(proxy.uri()), base.target());
            proxy.refuseFirst(
                    "NO [SERVERBUG] Internal error occurred. Refer to server log for more information.",
                    "STATUS",
                    "INBOX.Work");
            try (SyncService service = SyncFixture.service(settings, tmp, FaultInjector.NONE)) {
                service.addMailboxes(List.of(SyncFixture.account(user)));
                MailboxResult first = service.syncOnce(user + "@example.test");
                assertThat(first.phase()).as(String.valueOf(first)).isEqualTo(MailboxStatus.Phase.INCOMPLETE);
                assertThat(first.reason()).contains("INBOX.Work", "refused STATUS");
                assertThat(first.copied()).isEqualTo(1);
                MailboxResult second = service.syncOnce(user + "@example.test");
                assertThat(second.phase()).as(String.valueOf(second)).isEqualTo(MailboxStatus.Phase.SYNCED);
                assertThat(folder(servers, user, "Work")).hasSize(1);
            }
        }
    }

    /** The ETA's inventory of a mailbox is all or nothing: a folder whose STATUS is refused records nothing. */
    @Test
    void inventoryShouldRecordNothingWhenAFolderRefusesStatus(DovecotPair.Servers servers, @TempDir Path tmp)
            throws Exception {
        String user = servers.newUser("inventory");
        try (RawImapClient c =
                new RawImapClient(servers.legacy().host(), servers.legacy().port(), user, user + "-pw")) {
            c.create("INBOX.Work");
            c.append("INBOX", null, null, SyncFixture.message("Subject: i\nMessage-ID: <ii@x>", "i\n"));
        }
        try (ImapProxy proxy =
                new ImapProxy(servers.legacy().host(), servers.legacy().port())) {
            SyncSettings base = SyncFixture.settings(servers);
            SyncSettings settings = base.withEndpoints(ImapEndpoint.of(proxy.uri()), base.target());
            proxy.refuseFirst("NO [SERVERBUG] Internal error occurred.", "STATUS", "INBOX.Work");
            try (SyncService service = SyncFixture.service(settings, tmp, FaultInjector.NONE)) {
                MailboxAccount account = SyncFixture.account(user);
                service.addMailboxes(List.of(account));

                assertThatThrownBy(() -> Inventory.take(service.store(), settings, account))
                        .hasMessageContaining("INBOX.Work");
                assertThat(service.store().inventory(account.address())).isEmpty();
                assertThat(service.report().eta())
                        .as("a mailbox not listed leaves the ETA unknown")
                        .isEmpty();

                assertThat(Inventory.take(service.store(), settings, account)).isEqualTo(1);
                assertThat(service.store().inventory(account.address())).isNotEmpty();
            }
        }
    }

    /**
     * A proxy between the sync and legacy cuts the connection 10,000 bytes after the third body FETCH of one
     * mailbox goes out (two are at the server at once, so the third is sent once the first batch is read): that
     * mailbox fails this pass in its second or third batch (the first is already copied), the others finish;
     * the next pass copies the rest: nothing missing, nothing twice.
     */
    @Test
    void connectionDroppedMidFetchShouldFailThatMailboxOnceThenNextPassCompletesWithoutDuplicates(
            DovecotPair.Servers servers, @TempDir Path tmp) throws Exception {
        List<String> users = List.of(servers.newUser("cut"), servers.newUser("cut"), servers.newUser("cut"));
        Map<String, List<String>> seeded = new java.util.HashMap<>();
        for (String u : users) {
            seeded.put(u, seed(servers, u, 60));
        }
        try (ImapProxy proxy =
                new ImapProxy(servers.legacy().host(), servers.legacy().port())) {
            SyncSettings base = SyncFixture.settings(servers);
            SyncSettings settings = base.withEndpoints(ImapEndpoint.of(proxy.uri()), base.target())
                    .withParallelMailboxes(3)
                    .withImap(base.imap().withBatch(20, 1L << 20));
            proxy.cutBodyFetchAfter(3, 10_000);
            try (SyncService service = SyncFixture.service(settings, tmp, FaultInjector.NONE)) {
                service.addMailboxes(users.stream().map(SyncFixture::account).toList());

                List<MailboxResult> first = service.syncAll();

                assertThat(proxy.cuts()).isEqualTo(1);
                assertThat(first)
                        .filteredOn(x -> x.phase() == MailboxStatus.Phase.FAILED)
                        .singleElement()
                        .satisfies(x -> assertThat(x.reason()).contains("source server", "INBOX", "will retry"));
                assertThat(first)
                        .filteredOn(x -> x.phase() == MailboxStatus.Phase.SYNCED)
                        .hasSize(2)
                        .allSatisfy(x -> assertThat(x.copied()).isEqualTo(60));
                MailboxResult cut = first.stream()
                        .filter(x -> x.phase() == MailboxStatus.Phase.FAILED)
                        .findFirst()
                        .orElseThrow();
                String cutUser = cut.address().substring(0, cut.address().indexOf('@'));
                assertThat(folder(servers, cutUser, "INBOX"))
                        .as("copied before the cut")
                        .hasSizeBetween(20, 59);

                List<MailboxResult> second = service.syncAll();

                assertThat(second)
                        .allSatisfy(x -> assertThat(x.phase())
                                .as(x.address() + ": " + x.reason())
                                .isEqualTo(MailboxStatus.Phase.SYNCED));
                for (String u : users) {
                    assertThat(folder(servers, u, "INBOX"))
                            .extracting(m -> SyncFixture.sha256(m.body()))
                            .as("target of %s", u)
                            .containsExactlyInAnyOrderElementsOf(seeded.get(u));
                }
                assertThat(service.store().failures(cut.address())).isEmpty();
                assertThat(service.syncAll())
                        .allSatisfy(x -> assertThat(x.copied()).isZero());
            }
        }
    }

    /**
     * Another session changes a flag while the body FETCH runs: the server reports it with an unsolicited
     * {@code * n FETCH (FLAGS (...))} in the middle of the raw FETCH. It goes to Angus as the FetchResponse it
     * expects (it was once a plain response there: a ClassCastException that failed the mailbox); the copy
     * completes.
     */
    @Test
    void unsolicitedFlagUpdateDuringBodyFetchShouldNotDisturbTheCopy(DovecotPair.Servers servers, @TempDir Path tmp)
            throws Exception {
        String user = servers.newUser("unsolicited");
        List<String> seeded = seed(servers, user, 12);
        try (ImapProxy proxy =
                new ImapProxy(servers.legacy().host(), servers.legacy().port())) {
            SyncSettings base = SyncFixture.settings(servers);
            SyncSettings settings = base.withEndpoints(ImapEndpoint.of(proxy.uri()), base.target())
                    .withImap(base.imap().withBatch(5, 1L << 20));
            proxy.interleaveInNextBodyFetch("* 1 FETCH (FLAGS (\\Seen \\Flagged))");
            try (SyncService service = SyncFixture.service(settings, tmp, FaultInjector.NONE)) {
                service.addMailboxes(List.of(SyncFixture.account(user)));

                MailboxResult r = service.syncOnce(user + "@example.test");

                assertThat(proxy.interleaved()).isEqualTo(1);
                assertThat(r.phase()).as(r.address() + ": " + r.reason()).isEqualTo(MailboxStatus.Phase.SYNCED);
                assertThat(folder(servers, user, "INBOX"))
                        .extracting(m -> SyncFixture.sha256(m.body()))
                        .containsExactlyInAnyOrderElementsOf(seeded);
            }
        }
    }

    /**
     * The proxy answers one mailbox's third body FETCH with Office 365's throttling reply. That mailbox fails
     * the pass; the other mailboxes on the same server pause too and then finish in the same pass; the next
     * pass completes the throttled one.
     *
     * <p>No wall-clock window: the service runs on a clock that stands still, so the server's gate stays
     * closed until the test moves the clock. The proxy asks the gate's state as each body FETCH arrives.
     * While the gate is closed a mailbox may have up to {@link #FETCH_WINDOW} FETCHes arrive (each passed the gate
     * before it closed: two are sent while one is answered, and both may leave just before the throttled answer
     * closes the gate), never more; once both other mailboxes wait at the gate, the test opens it and they go on.
     * (A CI run saw two arrive on one connection after the close; a gate that let FETCHes through would show
     * up to 20.)
     */
    @Test
    void throttleShouldPauseEveryMailboxOfThatServerWhenOneMailboxIsThrottled(
            DovecotPair.Servers servers, @TempDir Path tmp) throws Exception {
        List<String> users = List.of(servers.newUser("thr"), servers.newUser("thr"), servers.newUser("thr"));
        Map<String, List<String>> seeded = new java.util.HashMap<>();
        for (String u : users) {
            seeded.put(u, seed(servers, u, 60));
        }
        MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
        ExecutorService pass = Executors.newSingleThreadExecutor();
        try (ImapProxy proxy =
                new ImapProxy(servers.legacy().host(), servers.legacy().port())) {
            SyncSettings base = SyncFixture.settings(servers);
            SyncSettings settings = base.withEndpoints(ImapEndpoint.of(proxy.uri()), base.target())
                    .withParallelMailboxes(3)
                    .withImap(base.imap().withBatch(3, 1L << 20))
                    .withThrottling(new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10)));
            String server = io.mxcutover.sync.throttle.ServerGates.key(settings.source());
            proxy.throttleBodyFetch(
                    3, "NO [THROTTLED] Request is throttled. Suggested Backoff Time: 2000 milliseconds");
            try (SyncService service = SyncFixture.service(settings, tmp, FaultInjector.NONE, clock)) {
                proxy.probeEachBodyFetch(() -> service.gates().gate(server).open(clock.instant()) ? "open" : "closed");
                service.addMailboxes(users.stream().map(SyncFixture::account).toList());

                Future<List<MailboxResult>> firstPass = pass.submit(() -> service.syncAll());
                // The timeout only bounds a failure: the clock does not move, so the gate cannot reopen by itself.
                Awaitility.await()
                        .atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> service.gates().waiting(server) == 2 || firstPass.isDone());
                List<ImapProxy.BodyFetch> whileClosed = proxy.bodyFetchLog();
                assertThat(service.gates().waiting(server))
                        .as("mailboxes waiting at the closed gate of %s; FETCHes: %s", server, whileClosed)
                        .isEqualTo(2);
                assertThat(service.gates().gate(server).open(clock.instant())).isFalse();
                assertThat(whileClosed)
                        .filteredOn(ImapProxy.BodyFetch::throttled)
                        .hasSize(1);
                int throttledConnection = whileClosed.stream()
                        .filter(ImapProxy.BodyFetch::throttled)
                        .findFirst()
                        .orElseThrow()
                        .connection();
                Map<Integer, Long> sentWhileClosed = whileClosed.stream()
                        .filter(f -> f.probe().equals("closed"))
                        .collect(Collectors.groupingBy(ImapProxy.BodyFetch::connection, Collectors.counting()));
                assertThat(sentWhileClosed)
                        .as(
                                "body FETCHes per connection that reached the server while its gate"
                                        + " was closed (at most the window in flight when it closed): %s",
                                whileClosed)
                        .doesNotContainKey(throttledConnection)
                        .allSatisfy((c, n) -> assertThat(n).isLessThanOrEqualTo((long) FETCH_WINDOW));

                clock.advance(service.gates().waitFor(server).plusSeconds(1));
                List<MailboxResult> first = firstPass.get(120, TimeUnit.SECONDS);

                assertThat(proxy.throttled()).isEqualTo(1);
                assertThat(first)
                        .filteredOn(x -> x.phase() == MailboxStatus.Phase.FAILED)
                        .singleElement()
                        .satisfies(x -> assertThat(x.reason())
                                .contains(
                                        "Suggested Backoff Time",
                                        "slow down",
                                        "every mailbox on 127.0.0.1:" + proxy.port()));
                assertThat(first)
                        .filteredOn(x -> x.phase() == MailboxStatus.Phase.SYNCED)
                        .hasSize(2);
                List<ImapProxy.BodyFetch> afterOpening = proxy.bodyFetchLog()
                        .subList(whileClosed.size(), proxy.bodyFetchLog().size());
                assertThat(afterOpening.stream()
                                .map(ImapProxy.BodyFetch::connection)
                                .distinct()
                                .toList())
                        .as("connections whose body FETCHes went on once the gate reopened: %s", afterOpening)
                        .hasSize(2)
                        .doesNotContain(throttledConnection);

                assertThat(service.syncAll())
                        .allSatisfy(x -> assertThat(x.phase())
                                .as(x.address() + ": " + x.reason())
                                .isEqualTo(MailboxStatus.Phase.SYNCED));
                for (String u : users) {
                    assertThat(folder(servers, u, "INBOX"))
                            .extracting(m -> SyncFixture.sha256(m.body()))
                            .as("target of %s", u)
                            .containsExactlyInAnyOrderElementsOf(seeded.get(u));
                }
            }
        } finally {
            pass.shutdownNow();
        }
    }

    static List<String> seed(DovecotPair.Servers servers, String user, int count) throws Exception {
        List<String> hashes = new ArrayList<>();
        try (RawImapClient c =
                new RawImapClient(servers.legacy().host(), servers.legacy().port(), user, user + "-pw")) {
            for (int i = 0; i < count; i++) {
                byte[] m = SyncFixture.message(
                        "From: a@example.test\nSubject: cut " + i + "\nMessage-ID: <cut" + i + "." + user + "@x>",
                        ("line of a message body that makes it about a kilobyte " + i + "\n").repeat(20));
                c.append("INBOX", null, null, m);
                hashes.add(SyncFixture.sha256(m));
            }
        }
        return hashes;
    }

    static List<Fetched> folder(DovecotPair.Servers servers, String user, String folder) throws Exception {
        try (RawImapClient c =
                new RawImapClient(servers.target().host(), servers.target().port(), user, user + "-pw")) {
            return c.fetchAll(folder);
        }
    }
}
