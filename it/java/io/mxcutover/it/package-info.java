/**
 * Real mail and DNS servers for integration tests ({@code *IT}), started by {@code it/servers.sh}.
 *
 * <p>{@link io.mxcutover.it.RealServers} is a JUnit 5 extension: a test asks for a
 * {@link io.mxcutover.it.TestServers} parameter and gets, on 127.0.0.1 with free ports:
 * <ul>
 *   <li>Dovecot "legacy" ({@link io.mxcutover.it.TestServers#legacyImap()}): Maildir, separator
 *       {@code '.'}, personal namespace prefix {@code "INBOX."}, LMTP for Postfix;</li>
 *   <li>Dovecot "new" ({@link io.mxcutover.it.TestServers#newImap()}): Maildir {@code LAYOUT=fs},
 *       separator {@code '/'}, no prefix, LMTP for the second Postfix;</li>
 *   <li>Postfix as the legacy MTA ({@link io.mxcutover.it.TestServers#legacySmtp()}): accepts
 *       {@code example.test} and delivers over LMTP into legacy Dovecot;</li>
 *   <li>a second Postfix as the new server's MTA ({@link io.mxcutover.it.TestServers#newSmtp()}):
 *       accepts {@code example.test} and delivers over LMTP into new Dovecot;</li>
 *   <li>two NSDs and an Unbound resolver ({@link io.mxcutover.it.TestServers#dns()}).</li>
 * </ul>
 * Both Dovecots know users {@code alice}, {@code bob}, {@code carol} (password {@code <login>-pw})
 * and the master user {@code master}/{@code master-pw} ({@code alice*master} or SASL PLAIN with
 * authzid). Special-use folders Sent, Drafts, Trash, Junk and Archive exist for every user, unless
 * the test class is annotated {@code @RealServers.SpecialUseFolders(NONE)}: it gets a second set of
 * servers where no folder announces a role and accounts start with INBOX only.
 *
 * <p>Lifecycle: the servers start once per test JVM, at the first test that asks for them, in
 * {@code <module>/target/it-servers/<jvm pid>/}; they stop (by PID) when JUnit closes its root
 * context, and on JVM shutdown as a safety net. Directories left by a JVM that was killed are
 * stopped and removed by the next run. A missing server binary fails the test with the command to
 * run ({@code it/servers.sh install}); nothing is ever skipped.
 *
 * <p>Also shared by every module's tests: {@link io.mxcutover.it.MutableClock}, the test clock, and
 * {@link io.mxcutover.it.TimeCalls}, which finds main code that bypasses the injected clock or sleeper.
 *
 * <p>Only the JDK and JUnit are used here, because this source folder is compiled into the tests
 * of every module.
 */
package io.mxcutover.it;
