package io.mxcutover.sync.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mxcutover.it.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenCacheTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    /** A token endpoint that gives tok-1, tok-2, ... valid for {@code lifetime}, or fails when told to. */
    private static final class ScriptedGrant implements TokenGrant {
        private final MutableClock clock;
        private final Deque<OAuthException> failures = new ArrayDeque<>();
        private Duration lifetime = Duration.ofHours(1);
        private int fetched;

        ScriptedGrant(MutableClock clock) {
            this.clock = clock;
        }

        @Override
        public AccessToken fetch() throws OAuthException {
            if (!failures.isEmpty()) {
                throw failures.pop();
            }
            fetched++;
            Instant expires = lifetime == null ? Instant.MAX : clock.instant().plus(lifetime);
            return new AccessToken(Secret.of("tok-" + fetched), expires);
        }

        @Override
        public String endpoint() {
            return "https://login.example/token";
        }
    }

    @ParameterizedTest(name = "lifetime {0}s, margin {1}s: replaced {2}s after issue")
    @CsvSource({
        "3600, 300, 3300", // the usual hour: five minutes early
        "3599, 300, 3299", // Microsoft's and Google's 3599
        "600, 300, 300", // exactly twice the margin
        "300, 300, 150", // shorter than twice the margin: at half its life
        "60, 0, 60", // no margin: at expiry
        "0, 300, 0", // already expired when issued: next call asks again
    })
    void refreshAtShouldBeMarginBeforeExpiryButNotBeforeHalfLife(long lifetime, long margin, long after) {
        assertThat(TokenCache.refreshAt(T0, T0.plusSeconds(lifetime), Duration.ofSeconds(margin)))
                .isEqualTo(T0.plusSeconds(after));
    }

    @Test
    void refreshAtShouldBeNeverWhenTheLifetimeIsUnknown() {
        assertThat(TokenCache.refreshAt(T0, Instant.MAX, Duration.ofMinutes(5))).isEqualTo(Instant.MAX);
    }

    @Test
    void cacheShouldReuseTheTokenUntilFiveMinutesBeforeItExpiresThenAskForANewOne() throws Exception {
        MutableClock clock = new MutableClock(T0);
        ScriptedGrant grant = new ScriptedGrant(clock);
        TokenCache cache = new TokenCache(grant, clock, TokenCache.DEFAULT_MARGIN);

        assertThat(cache.token().reveal()).isEqualTo("tok-1");
        clock.advance(Duration.ofMinutes(54).plusSeconds(59));
        assertThat(cache.token().reveal()).isEqualTo("tok-1");
        clock.advance(Duration.ofSeconds(1)); // 55 minutes: 5 before the hour ends
        assertThat(cache.token().reveal()).isEqualTo("tok-2");
        assertThat(cache.fetches()).isEqualTo(2);
    }

    @Test
    void cacheShouldAskForANewTokenAfterTheServerRejectedTheCurrentOne() throws Exception {
        MutableClock clock = new MutableClock(T0);
        TokenCache cache = new TokenCache(new ScriptedGrant(clock), clock, TokenCache.DEFAULT_MARGIN);
        Secret first = cache.token();

        cache.rejected(first);

        assertThat(cache.token().reveal()).isEqualTo("tok-2");
    }

    @Test
    void cacheShouldKeepItsTokenWhenAnOlderOneIsRejected() throws Exception {
        MutableClock clock = new MutableClock(T0);
        TokenCache cache = new TokenCache(new ScriptedGrant(clock), clock, TokenCache.DEFAULT_MARGIN);
        Secret first = cache.token();
        cache.rejected(first);
        Secret second = cache.token();

        cache.rejected(first); // a session that still held tok-1 reports it late

        assertThat(cache.token()).isEqualTo(second);
        assertThat(cache.fetches()).isEqualTo(2);
    }

    @Test
    void cacheShouldUseTheCurrentTokenWhileValidWhenAnEarlyRefreshFailsThenFail() throws Exception {
        MutableClock clock = new MutableClock(T0);
        ScriptedGrant grant = new ScriptedGrant(clock);
        TokenCache cache = new TokenCache(grant, clock, TokenCache.DEFAULT_MARGIN);
        cache.token();
        clock.advance(Duration.ofMinutes(56));
        OAuthException down =
                new OAuthException("token endpoint https://login.example/token did not answer", false, null);
        grant.failures.push(down);
        grant.failures.push(down);

        assertThat(cache.token().reveal()).isEqualTo("tok-1"); // 4 minutes left: still good
        clock.advance(Duration.ofMinutes(4));
        assertThatThrownBy(cache::token).isSameAs(down);
        assertThat(cache.token().reveal()).isEqualTo("tok-2"); // the endpoint is back
    }

    @Test
    void cacheShouldPassARefusalOnWhenItHasNoToken() {
        MutableClock clock = new MutableClock(T0);
        ScriptedGrant grant = new ScriptedGrant(clock);
        grant.failures.push(new OAuthException("refused: invalid_client", true, null));
        TokenCache cache = new TokenCache(grant, clock, TokenCache.DEFAULT_MARGIN);

        assertThatThrownBy(cache::token)
                .isInstanceOfSatisfying(
                        OAuthException.class, e -> assertThat(e.refused()).isTrue());
    }

    @Test
    void cacheShouldUseATokenWithoutLifetimeUntilItIsRejected() throws Exception {
        MutableClock clock = new MutableClock(T0);
        ScriptedGrant grant = new ScriptedGrant(clock);
        grant.lifetime = null;
        TokenCache cache = new TokenCache(grant, clock, TokenCache.DEFAULT_MARGIN);
        Secret first = cache.token();
        clock.advance(Duration.ofDays(30));
        assertThat(cache.token()).isEqualTo(first);
        cache.rejected(first);
        assertThat(cache.token().reveal()).isEqualTo("tok-2");
    }

    @Test
    void noTokenOrSecretShouldAppearInToStrings() throws Exception {
        MutableClock clock = new MutableClock(T0);
        TokenCache cache = new TokenCache(new ScriptedGrant(clock), clock, TokenCache.DEFAULT_MARGIN);
        Secret token = cache.token();
        OAuthClient client = OAuthClient.clientCredentials(
                        java.net.URI.create("https://login.example/token"),
                        "app-1",
                        Secret.of("s3cret-client"),
                        "https://outlook.office365.com/.default")
                .withRefreshToken(Secret.of("refresh-me"));
        Login login = Login.oauth("anna@example.org", Login.Kind.OAUTHBEARER, cache);

        for (Object o : new Object[] {cache, client, login, new AccessToken(token, T0), login.secret()}) {
            assertThat(o.toString()).doesNotContain(token.reveal(), "s3cret-client", "refresh-me");
        }
        assertThat(cache.toString()).contains("https://login.example/token");
        assertThat(client.toString()).contains("app-1", "refresh_token");
    }
}
