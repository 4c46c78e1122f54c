package io.mxcutover.sync.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.it.MutableClock;
import io.mxcutover.it.OAuthImapServer;
import io.mxcutover.it.OAuthIssuer;
import io.mxcutover.sync.credential.HttpTokenGrant;
import io.mxcutover.sync.credential.Login;
import io.mxcutover.sync.credential.OAuthClient;
import io.mxcutover.sync.credential.OAuthLogins;
import io.mxcutover.sync.credential.Secret;
import io.mxcutover.sync.credential.TokenCache;
import io.mxcutover.sync.engine.FaultInjector;
import io.mxcutover.sync.engine.MailboxResult;
import io.mxcutover.sync.folder.FolderInfo;
import io.mxcutover.sync.imap.ImapEndpoint;
import io.mxcutover.sync.imap.ImapException;
import io.mxcutover.sync.imap.ImapSourceStore;
import io.mxcutover.sync.imap.ImapTargetStore;
import io.mxcutover.sync.mailbox.MailboxAccount;
import io.mxcutover.sync.state.MailboxStatus;
import io.mxcutover.sync.testing.DovecotPair;
import io.mxcutover.sync.testing.RawImapClient;
import io.mxcutover.sync.testing.SyncFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * OAuth2 logins against a real Dovecot 2.3 with the {@code oauth2} passdb ({@link OAuthImapServer}), whose tokens
 * are checked by introspection at {@link OAuthIssuer}, which also issues them. The legacy side is the project's
 * Dovecot with passwords; the new side logs in by XOAUTH2 or OAUTHBEARER with tokens from the token endpoint.
 */
@ExtendWith(DovecotPair.class)
class SyncOAuthIT {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final String CLIENT = "mxcutover-test";
    private static final String CLIENT_SECRET = "client-secret-5150";

    private static OAuthIssuer issuer;
    private static OAuthImapServer oauthImap;

    @BeforeAll
    static void start() {
        issuer = OAuthIssuer.start();
        issuer.addClient(CLIENT, CLIENT_SECRET, "nobody");
        oauthImap = OAuthImapServer.start(OAuthImapServer.defaultDir(), issuer.introspectionUrl());
    }

    @AfterAll
    static void stop() {
        try {
            if (oauthImap != null) {
                oauthImap.close();
            }
        } finally {
            if (issuer != null) {
                issuer.close();
            }
        }
    }

    private static String user(String hint) {
        return hint + ProcessHandle.current().pid() + "x" + SEQ.incrementAndGet();
    }

    private static OAuthClient client() {
        return OAuthClient.clientCredentials(issuer.tokenUrl(), CLIENT, Secret.of(CLIENT_SECRET), "mail");
    }

    private static OAuthLogins logins(MutableClock clock) {
        return new OAuthLogins(
                client(),
                c -> new TokenCache(
                        HttpTokenGrant.of(c, clock, Duration.ofSeconds(10)), clock, TokenCache.DEFAULT_MARGIN));
    }

    private static ImapEndpoint oauthEndpoint(MutableClock clock) {
        return ImapEndpoint.of(oauthImap.uri()).withOAuth(logins(clock));
    }

    private static void appendToLegacy(DovecotPair.Servers servers, String user, String subject) throws Exception {
        try (RawImapClient c =
                new RawImapClient(servers.legacy().host(), servers.legacy().port(), user, user + "-pw")) {
            c.append(
                    "INBOX",
                    null,
                    null,
                    SyncFixture.message(
                            "Subject: " + subject + "\nMessage-ID: <" + subject + "@example.test>",
                            "body of " + subject + "\n"));
        }
    }

    /** The INBOX of {@code user} on the oauth server, read with a new token from the user's refresh token. */
    private static long inboxOnOauthServer(DovecotPair.Servers servers, String user, MutableClock clock)
            throws ImapException {
        try (ImapSourceStore s = ImapSourceStore.open(
                oauthEndpoint(clock),
                new Login(user, Secret.of("rt-" + user), Login.Kind.XOAUTH2),
                SyncFixture.settings(servers).imap())) {
            return s.status("INBOX").orElseThrow().messages();
        }
    }

    @Test
    void xoauth2AndOauthbearerLoginsShouldWorkOnSourceAndTargetSessions(DovecotPair.Servers servers) throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        String app = user("app");
        String consented = user("consented");
        // Client credentials: Dovecot 2.3 wants the token's username to be the login, so this client is one user's.
        issuer.addClient(app, CLIENT_SECRET, app);
        issuer.addRefreshToken("rt-" + consented, consented);
        ImapEndpoint appEndpoint = ImapEndpoint.of(oauthImap.uri())
                .withOAuth(new OAuthLogins(
                        OAuthClient.clientCredentials(issuer.tokenUrl(), app, Secret.of(CLIENT_SECRET), "mail"),
                        c -> new TokenCache(
                                HttpTokenGrant.of(c, clock, Duration.ofSeconds(10)),
                                clock,
                                TokenCache.DEFAULT_MARGIN)));
        var imap = SyncFixture.settings(servers).imap();

        try (ImapTargetStore t =
                        ImapTargetStore.open(appEndpoint, new Login(app, Secret.of(""), Login.Kind.XOAUTH2), imap);
                ImapSourceStore s = ImapSourceStore.open(
                        appEndpoint, new Login(app, Secret.of(""), Login.Kind.OAUTHBEARER), imap)) {
            assertThat(t.folders()).extracting(FolderInfo::name).contains("INBOX");
            assertThat(s.folders()).extracting(FolderInfo::name).contains("INBOX");
        }
        ImapEndpoint consentEndpoint = oauthEndpoint(clock);
        try (ImapTargetStore t = ImapTargetStore.open(
                        consentEndpoint,
                        new Login(consented, Secret.of("rt-" + consented), Login.Kind.OAUTHBEARER),
                        imap);
                ImapSourceStore s = ImapSourceStore.open(
                        consentEndpoint,
                        new Login(consented, Secret.of("rt-" + consented), Login.Kind.XOAUTH2),
                        imap)) {
            assertThat(t.folders()).extracting(FolderInfo::name).contains("INBOX");
            assertThat(s.folders()).extracting(FolderInfo::name).contains("INBOX");
        }
        // One application token for both sessions of app; one per refresh token and mechanism-independent.
        assertThat(issuer.issued(app)).isEqualTo(1);
        assertThat(issuer.issued(consented)).isEqualTo(1);
        assertThat(issuer.refused(app) + issuer.refused(consented)).isZero();
        assertThat(issuer.tokenRequests())
                .anySatisfy(r -> assertThat(r).contains("grant_type=client_credentials", "scope=mail"))
                .anySatisfy(r -> assertThat(r).contains("grant_type=refresh_token", "refresh_token=rt-" + consented));
    }

    @Test
    void expiredTokenShouldBeRefreshedAndTheCopyShouldGoOn(DovecotPair.Servers servers, @TempDir Path tmp)
            throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        String legacy = servers.newUser("oa");
        String target = user("erin");
        issuer.addRefreshToken("rt-" + target, target);
        appendToLegacy(servers, legacy, "one-" + target);
        appendToLegacy(servers, legacy, "two-" + target);
        SyncSettings settings = SyncFixture.settings(servers)
                .withEndpoints(ImapEndpoint.of(servers.legacy().uri()), oauthEndpoint(clock));
        try (SyncService service = SyncFixture.service(settings, tmp, FaultInjector.NONE, clock)) {
            service.addMailboxes(List.of(new MailboxAccount(
                    target + "@example.test",
                    Login.password(legacy, legacy + "-pw"),
                    new Login(target, Secret.of("rt-" + target), Login.Kind.OAUTHBEARER))));
            MailboxResult first = service.syncAll().get(0);
            assertThat(first.phase()).as(first.reason()).isEqualTo(MailboxStatus.Phase.SYNCED);
            int tokensAfterFirst = issuer.issued(target);
            assertThat(tokensAfterFirst).isEqualTo(1);

            // The server expires the token early (revoked session, shorter server-side lifetime): refused once,
            // renewed.
            issuer.expireTokensOf(target);
            appendToLegacy(servers, legacy, "three-" + target);
            MailboxResult second = service.syncAll().get(0);
            assertThat(second.phase()).as(second.reason()).isEqualTo(MailboxStatus.Phase.SYNCED);
            assertThat(issuer.refused(target)).isEqualTo(1);
            assertThat(issuer.issued(target)).isEqualTo(2);

            // The token's own expiry: 56 minutes later (5 before it ends) a new one is asked for before any login.
            clock.advance(Duration.ofMinutes(56));
            appendToLegacy(servers, legacy, "four-" + target);
            MailboxResult third = service.syncAll().get(0);
            assertThat(third.phase()).as(third.reason()).isEqualTo(MailboxStatus.Phase.SYNCED);
            assertThat(issuer.issued(target)).isEqualTo(3);
            assertThat(issuer.refused(target)).isEqualTo(1);
        }
        assertThat(inboxOnOauthServer(servers, target, clock)).isEqualTo(4);
    }

    @Test
    void revokedTokenShouldFailThatMailboxWithTheEndpointNamedWhileAnotherContinues(
            DovecotPair.Servers servers, @TempDir Path tmp) throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        // One legacy mailbox copied to three new ones (the legacy side is only read): one set-up, three logins.
        String legacy = servers.newUser("oauth3");
        String[] target = {user("ok"), user("revoked"), user("disabled")};
        for (int i = 0; i < 3; i++) {
            issuer.addRefreshToken("rt-" + target[i], target[i]);
        }
        appendToLegacy(servers, legacy, "first-" + legacy);
        SyncSettings settings = SyncFixture.settings(servers)
                .withEndpoints(ImapEndpoint.of(servers.legacy().uri()), oauthEndpoint(clock));
        try (SyncService service = SyncFixture.service(settings, tmp, FaultInjector.NONE, clock)) {
            List<MailboxAccount> accounts = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                accounts.add(new MailboxAccount(
                        target[i] + "@example.test",
                        Login.password(legacy, legacy + "-pw"),
                        new Login(target[i], Secret.of("rt-" + target[i]), Login.Kind.XOAUTH2)));
            }
            service.addMailboxes(accounts);
            assertThat(service.syncAll())
                    .allSatisfy(r -> assertThat(r.phase()).as(r.reason()).isEqualTo(MailboxStatus.Phase.SYNCED));

            // Revoked: the access token and the refresh token. Disabled: every token, even a new one.
            issuer.expireTokensOf(target[1]);
            issuer.revokeRefreshToken("rt-" + target[1]);
            issuer.disable(target[2]);
            appendToLegacy(servers, legacy, "second-" + legacy);
            List<MailboxResult> results = service.syncAll();
            MailboxResult ok = result(results, target[0]);
            MailboxResult revoked = result(results, target[1]);
            MailboxResult disabled = result(results, target[2]);
            assertThat(ok.phase()).as(ok.reason()).isEqualTo(MailboxStatus.Phase.SYNCED);
            assertThat(revoked.phase()).isEqualTo(MailboxStatus.Phase.FAILED);
            assertThat(revoked.reason())
                    .contains(target[1], issuer.tokenUrl().toString(), "invalid_grant", "target server");
            assertThat(disabled.phase()).isEqualTo(MailboxStatus.Phase.FAILED);
            assertThat(disabled.reason())
                    .contains(
                            target[2],
                            "login refused",
                            "twice",
                            issuer.tokenUrl().toString(),
                            "XOAUTH2");
            for (MailboxResult r : List.of(revoked, disabled)) {
                assertThat(r.reason()).doesNotContain(CLIENT_SECRET, "rt-");
                for (String token : issuer.issuedTokens()) {
                    assertThat(r.reason()).doesNotContain(token);
                }
            }
        }
        assertThat(inboxOnOauthServer(servers, target[0], clock)).isEqualTo(2);
        assertThat(Files.readString(oauthImap.log())).doesNotContain(CLIENT_SECRET);
    }

    private static MailboxResult result(List<MailboxResult> results, String user) {
        return results.stream()
                .filter(r -> r.address().startsWith(user + "@"))
                .findFirst()
                .orElseThrow();
    }
}
