/**
 * Keeps watching the MX of every migrated domain: polls each on a schedule (every 5 minutes
 * by default, every 30 seconds while the change is PUBLISHED or PROPAGATING), stores every
 * poll, and answers "where is this domain now" from the stored history.
 *
 * <h2>Parts</h2>
 * <ul>
 *   <li>{@link io.mxcutover.dnscheck.watch.DnsWatcher}: the schedule and the polling; time
 *       comes from an injected {@link java.time.Clock}, so tests step through hours at once.</li>
 *   <li>{@link io.mxcutover.dnscheck.watch.PollStore}: where polls are kept.
 *       {@link io.mxcutover.dnscheck.watch.JdbcPollStore} writes them to the appliance's
 *       database (SQLite by default, PostgreSQL portable); schema in
 *       {@code db/dnscheck/V*.sql}, run by Flyway with {@code locations=classpath:db/dnscheck}
 *       and {@code table=flyway_history_dnscheck}.
 *       {@link io.mxcutover.dnscheck.watch.MemoryPollStore} is for one-shot checks and tests.</li>
 * </ul>
 *
 * <h2>History growth</h2>
 * A poll never re-reads the history: the watcher folds each poll into the domain's
 * {@link io.mxcutover.dnscheck.timeline.TimelineSummary} (switch time, largest old TTL,
 * ...), saves poll and summary in one transaction (table {@code dnscheck_timeline}) and keeps
 * the latest poll and the summary in memory for reports. The stored history is read once per
 * domain: at the first watch without a summary, or when the expected MX set changes (the
 * summary is only valid for one expected set); polls stored after the summary are folded in
 * at watch time.
 *
 * <h2>Reading the history with SQL</h2>
 * <pre>
 *   SELECT p.polled_at, p.verdict, a.server_label, a.record_type, a.outcome, a.answer, a.ttl, a.latency_ms
 *     FROM dnscheck_poll p JOIN dnscheck_answer a ON a.poll_id = p.poll_id
 *    WHERE p.domain = 'example.com' ORDER BY p.polled_at, a.server_role, a.server_label, a.record_type;
 * </pre>
 * {@code polled_at} is milliseconds since the epoch (UTC).
 *
 * <h2>Logs</h2>
 * One INFO line per verdict change of a domain (old -> new verdict, reason); a WARN when a
 * poll fails as a whole (NS discovery failed, store not writable).
 */
package io.mxcutover.dnscheck.watch;
