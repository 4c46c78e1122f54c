package io.mxcutover.sync.credential;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.it.MutableClock;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OAuthLoginsTest {
    private final List<OAuthClient> made = new ArrayList<>();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final OAuthLogins logins = new OAuthLogins(
            OAuthClient.clientCredentials(URI.create("https://login.example/token"), "app", Secret.of("s"), "mail"),
            c -> {
                made.add(c);
                return new TokenCache(
                        new TokenGrant() {
                            @Override
                            public AccessToken fetch() {
                                return new AccessToken(Secret.of("t"), Instant.MAX);
                            }

                            @Override
                            public String endpoint() {
                                return c.tokenEndpoint().toString();
                            }
                        },
                        clock,
                        TokenCache.DEFAULT_MARGIN);
            });

    @Test
    void mailboxesWithoutSecretShouldShareTheApplicationsTokens() {
        Login a = logins.resolve(new Login("a@example.org", Secret.of(""), Login.Kind.XOAUTH2));
        Login b = logins.resolve(new Login("b@example.org", Secret.of(""), Login.Kind.OAUTHBEARER));

        assertThat(a.tokens()).containsSame(b.tokens().orElseThrow());
        assertThat(a.kind()).isEqualTo(Login.Kind.XOAUTH2);
        assertThat(b.kind()).isEqualTo(Login.Kind.OAUTHBEARER);
        assertThat(made)
                .singleElement()
                .satisfies(c -> assertThat(c.grant()).isEqualTo(OAuthClient.Grant.CLIENT_CREDENTIALS));
    }

    @Test
    void eachRefreshTokenShouldGetItsOwnCacheOnce() {
        Login a1 = logins.resolve(new Login("a@example.org", Secret.of("rt-a"), Login.Kind.XOAUTH2));
        Login a2 = logins.resolve(new Login("a@example.org", Secret.of("rt-a"), Login.Kind.XOAUTH2));
        Login b = logins.resolve(new Login("b@example.org", Secret.of("rt-b"), Login.Kind.XOAUTH2));

        assertThat(a1.tokens()).containsSame(a2.tokens().orElseThrow());
        assertThat(a1.tokens().orElseThrow()).isNotSameAs(b.tokens().orElseThrow());
        assertThat(made)
                .extracting(c -> c.refreshToken().orElseThrow().reveal())
                .containsExactly("rt-a", "rt-b");
    }

    @Test
    void passwordLoginsShouldBeLeftAsTheyAre() {
        Login password = Login.password("c@example.org", "pw");
        assertThat(logins.resolve(password)).isSameAs(password);
        assertThat(made).isEmpty();
    }
}
