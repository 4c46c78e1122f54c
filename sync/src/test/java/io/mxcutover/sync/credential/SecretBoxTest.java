package io.mxcutover.sync.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {
    @Test
    void boxShouldRoundTripAndUseFreshIvWhenSealingTwice(@TempDir Path dir) throws Exception {
        SecretBox box = SecretBox.fromKeyFile(dir.resolve("k"));
        // A password that base64 ciphertext cannot contain by chance ("pw" did, about once in 100 runs).
        String password = "correct horse battery staple";
        String a = box.seal(Secret.of(password), "alice/source");
        String b = box.seal(Secret.of(password), "alice/source");
        assertThat(a).isNotEqualTo(b).doesNotContain(password);
        assertThat(box.open(a, "alice/source").reveal()).isEqualTo(password);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("k"))))
                .isEqualTo("rw-------");
    }

    @Test
    void boxShouldRefuseWhenRowMovedOrKeyWrong(@TempDir Path dir) throws Exception {
        SecretBox box = SecretBox.fromKeyFile(dir.resolve("k"));
        String sealed = box.seal(Secret.of("pw"), "alice/source");
        assertThatThrownBy(() -> box.open(sealed, "bob/source"))
                .hasMessageContaining("bob/source")
                .hasMessageNotContaining("pw\"");
        SecretBox other = SecretBox.fromKeyFile(dir.resolve("k2"));
        assertThatThrownBy(() -> other.open(sealed, "alice/source")).hasMessageContaining("wrong key");
    }
}
