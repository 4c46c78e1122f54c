package io.mxcutover.sync.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OAuthClientTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token",
                "https://oauth2.googleapis.com/token",
                "http://127.0.0.1:8080/token",
                "http://localhost/token"
            })
    void clientShouldAcceptHttpsEndpointsAndLoopbackHttp(String endpoint) {
        OAuthClient c = OAuthClient.clientCredentials(URI.create(endpoint), "id", Secret.of("s"), "scope");
        assertThat(c.grant()).isEqualTo(OAuthClient.Grant.CLIENT_CREDENTIALS);
        assertThat(c.withRefreshToken(Secret.of("r")).grant()).isEqualTo(OAuthClient.Grant.REFRESH_TOKEN);
    }

    @ParameterizedTest
    @CsvSource({
        "http://login.example/token, must be https",
        "https://id:secret@login.example/token, no user info",
        "https://login.example/token?client_secret=x, no user info and no query",
    })
    void clientShouldRefuseEndpointsThatWouldLeakTheSecret(String endpoint, String words) {
        assertThatThrownBy(() -> OAuthClient.clientCredentials(URI.create(endpoint), "id", Secret.of("s"), ""))
                .hasMessageContaining(words)
                .hasMessageNotContaining("secret@");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void clientShouldRefuseAnEmptyClientId(String id) {
        assertThatThrownBy(
                        () -> OAuthClient.clientCredentials(URI.create("https://a.example/t"), id, Secret.of(""), ""))
                .hasMessageContaining("client id");
    }

    @ParameterizedTest
    @CsvSource({"xoauth2, XOAUTH2", "OAuth2, XOAUTH2", "oauthbearer, OAUTHBEARER", "password, PASSWORD", "'', PASSWORD"
    })
    void kindShouldBeParsedFromTheMailboxList(String text, Login.Kind kind) {
        assertThat(Login.Kind.of(text)).isEqualTo(kind);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cram-md5", "bearer"})
    void kindShouldNameTheAcceptedWordsWhenUnknown(String text) {
        assertThatThrownBy(() -> Login.Kind.of(text)).hasMessageContaining("password, xoauth2 or oauthbearer");
    }

    @org.junit.jupiter.api.Test
    void emptyRefreshTokenShouldMeanClientCredentials() {
        OAuthClient c = new OAuthClient(
                URI.create("https://a.example/t"), "id", Secret.of("s"), "", Optional.of(Secret.of("")));
        assertThat(c.grant()).isEqualTo(OAuthClient.Grant.CLIENT_CREDENTIALS);
    }
}
