package io.mxcutover.sync.testing;

import io.mxcutover.sync.engine.MailboxResult;
import io.mxcutover.sync.imap.ImapEndpoint;
import io.mxcutover.sync.run.SyncService;
import io.mxcutover.sync.run.SyncSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The sync service in continuous mode in one long-lived JVM, as the appliance runs it, for
 * bench/sync/continuous.sh: imports the mailbox CSV, copies every mailbox's history once ({@code syncAll}, then
 * prints "history done" with the phases), starts continuous mode and prints "continuous running"; then runs until
 * "quit" or the end of its input.
 *
 * <pre>ContinuousBenchMain LEGACY_URI NEW_URI STATE_DIR CSV PARALLEL INTERVAL_MS MAX_INTERVAL_S IDLE_MAILBOXES</pre>
 *
 * {@code IDLE_MAILBOXES} 0: no IDLE at all (poll only).
 */
public final class ContinuousBenchMain {
    private static final int HISTORY_PARALLEL = 12;

    private ContinuousBenchMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 8) {
            System.err.println("usage: ContinuousBenchMain LEGACY_URI NEW_URI STATE_DIR CSV PARALLEL INTERVAL_MS"
                    + " MAX_INTERVAL_S IDLE_MAILBOXES");
            System.exit(2);
        }
        int idle = Integer.parseInt(args[7]);
        SyncSettings settings = SyncSettings.of(ImapEndpoint.of(args[0]), ImapEndpoint.of(args[1]))
                .withParallelMailboxes(Integer.parseInt(args[4]))
                .withInterval(Duration.ofMillis(Long.parseLong(args[5])), idle > 0)
                .withContinuous(Duration.ofSeconds(Long.parseLong(args[6])), idle);
        Path stateDir = Path.of(args[2]);
        Files.createDirectories(stateDir);
        try (SyncService service =
                new SyncService(open(stateDir.resolve("sync.db")), SyncFixture.KEY, settings, Clock.systemUTC())) {
            try (var csv = Files.newBufferedReader(Path.of(args[3]))) {
                service.importCsv(csv);
            }
            long t0 = System.nanoTime();
            List<MailboxResult> history;
            // The history with more mailboxes at once than the continuous mode uses (set-up, not measured).
            try (SyncService copier = new SyncService(
                    open(stateDir.resolve("sync.db")),
                    SyncFixture.KEY,
                    settings.withParallelMailboxes(Math.max(settings.parallelMailboxes(), HISTORY_PARALLEL)),
                    Clock.systemUTC())) {
                history = copier.syncAll();
            }
            Map<String, Integer> phases = new TreeMap<>();
            history.forEach(r -> phases.merge(r.phase().name(), 1, Integer::sum));
            long copied = history.stream().mapToLong(MailboxResult::copied).sum();
            System.out.printf(
                    "history done %d mailboxes %d messages %.1f s %s%n",
                    history.size(), copied, (System.nanoTime() - t0) / 1e9, phases);
            System.out.flush();
            service.startContinuous();
            System.out.println("continuous running");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
            for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
                // nothing else to do: the script measures this JVM from outside
            }
            service.stop();
        }
        System.exit(0);
    }

    /**
     * The state as the appliance opens it (appliance.store.Store): WAL, and BEGIN IMMEDIATE, so a transaction that
     * reads before it writes waits for the lock instead of failing with SQLITE_BUSY when another connection wrote
     * meanwhile (TestState, which the other benches use, has deferred transactions: at a thousand mailboxes in
     * continuous mode their passes failed that way).
     */
    static DataSource open(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setBusyTimeout(15_000);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/sync")
                .table("flyway_history_sync")
                .load()
                .migrate();
        return ds;
    }
}
