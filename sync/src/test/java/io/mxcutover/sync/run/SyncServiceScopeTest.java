package io.mxcutover.sync.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.sync.credential.Login;
import io.mxcutover.sync.imap.ImapEndpoint;
import io.mxcutover.sync.mailbox.MailboxAccount;
import io.mxcutover.sync.state.MailboxStatus;
import io.mxcutover.sync.testing.SyncFixture;
import io.mxcutover.sync.testing.TestState;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pass's scope is asked again when the pass really starts: a mailbox whose batch was paused while it
 * waited for a free worker is not synced, and no connection is opened for it.
 */
class SyncServiceScopeTest {
    @Test
    void syncAllShouldSkipMailboxWhenScopeRefusesItAsItsPassStarts(@TempDir Path dir) throws Exception {
        try (SyncServiceDomainTest.Tripwire legacy = new SyncServiceDomainTest.Tripwire();
                SyncServiceDomainTest.Tripwire fresh = new SyncServiceDomainTest.Tripwire();
                SyncService service = new SyncService(
                        TestState.open(dir.resolve("state.db")),
                        SyncFixture.KEY,
                        SyncSettings.of(
                                        ImapEndpoint.of("imap://127.0.0.1:" + legacy.port()),
                                        ImapEndpoint.of("imap://127.0.0.1:" + fresh.port()))
                                .withParallelMailboxes(1),
                        Clock.systemUTC())) {
            service.addMailboxes(List.of(account("anna@a.test"), account("ben@a.test")));
            // Accepted when the round is planned, refused when the pass would start: paused in between.
            Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
            List<?> results = service.syncAll(
                    a -> asked.computeIfAbsent(a, k -> new AtomicInteger()).incrementAndGet() == 1);

            assertThat(results).isEmpty();
            assertThat(asked)
                    .containsOnlyKeys("anna@a.test", "ben@a.test")
                    .allSatisfy((a, n) -> assertThat(n.get()).isEqualTo(2));
            assertThat(service.mailboxes()).extracting(MailboxStatus::phase).containsOnly(MailboxStatus.Phase.PENDING);
            assertThat(legacy.connections.get() + fresh.connections.get()).isZero();
        }
    }

    private static MailboxAccount account(String address) {
        String user = address.substring(0, address.indexOf('@'));
        return new MailboxAccount(address, Login.password(user, "pw"), Login.password(user, "pw"));
    }
}
