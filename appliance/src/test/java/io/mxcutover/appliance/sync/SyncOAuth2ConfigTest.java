package io.mxcutover.appliance.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mxcutover.sync.credential.OAuthClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncOAuth2ConfigTest {
    private static SyncOAuth2Config section() {
        SyncOAuth2Config c = new SyncOAuth2Config();
        c.tokenEndpoint = "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token";
        c.clientId = "00000000-1111-2222-3333-444444444444";
        c.scope = "https://outlook.office365.com/.default";
        return c;
    }

    @Test
    void clientShouldReadItsSecretFromTheFileWithoutTheTrailingNewline(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("secret");
        Files.writeString(file, "s3cret~value\n");
        SyncOAuth2Config c = section();
        c.clientSecretFile = file.toString();

        OAuthClient client = c.client("sync.legacyOAuth2", Map.<String, String>of()::get);

        assertThat(client.clientSecret().reveal()).isEqualTo("s3cret~value");
        assertThat(client.grant()).isEqualTo(OAuthClient.Grant.CLIENT_CREDENTIALS);
        assertThat(client.scope()).isEqualTo("https://outlook.office365.com/.default");
        assertThat(client.toString()).doesNotContain("s3cret");
    }

    @Test
    void clientShouldReadItsSecretFromTheEnvironment() {
        SyncOAuth2Config c = section();
        c.clientSecretEnv = "M365_SECRET";

        assertThat(c.client("sync.newOAuth2", Map.of("M365_SECRET", "from-env")::get)
                        .clientSecret()
                        .reveal())
                .isEqualTo("from-env");
        assertThatThrownBy(() -> c.client("sync.newOAuth2", Map.<String, String>of()::get))
                .hasMessageContaining("sync.newOAuth2.clientSecretEnv names M365_SECRET, which is not set");
    }

    @Test
    void problemsShouldNameTheKeyAndNeverTheSecret(@TempDir Path dir) {
        SyncOAuth2Config noId = section();
        noId.clientId = null;
        assertThatThrownBy(() -> noId.client("sync.legacyOAuth2", k -> null))
                .hasMessageContaining("sync.legacyOAuth2 needs tokenEndpoint and clientId");

        SyncOAuth2Config missingFile = section();
        missingFile.clientSecretFile = dir.resolve("absent").toString();
        assertThatThrownBy(() -> missingFile.client("sync.legacyOAuth2", k -> null))
                .hasMessageContaining("sync.legacyOAuth2.clientSecretFile")
                .hasMessageContaining("cannot be read");

        SyncOAuth2Config plainHttp = section();
        plainHttp.tokenEndpoint = "http://login.example/token";
        plainHttp.clientSecretEnv = "S";
        assertThatThrownBy(() -> plainHttp.client("sync.legacyOAuth2", Map.of("S", "s3cret")::get))
                .hasMessageContaining("sync.legacyOAuth2: OAuth2 token endpoint")
                .hasMessageNotContaining("s3cret");
    }
}
