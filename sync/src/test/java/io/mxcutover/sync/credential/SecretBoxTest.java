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
        String a = box.seal(Secret.of("pw"), "alice/source");
        String b = box.seal(Secret.of("pw"), "alice/source");
        assertThat(a).isNotEqualTo(b).doesNotContain("pw");
        assertThat(box.open(a, "alice/source").reveal()).isEqualTo("pw");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("k")))).isEqualTo("rw-------");
    }

    @Test
    void boxShouldRefuseWhenRowMovedOrKeyWrong(@TempDir Path dir) throws Exception {
        SecretBox box = SecretBox.fromKeyFile(dir.resolve("k"));
        String sealed = box.seal(Secret.of("pw"), "alice/source");
        assertThatThrownBy(() -> box.open(sealed, "bob/source")).hasMessageContaining("bob/source").hasMessageNotContaining("pw\"");
        SecretBox other = SecretBox.fromKeyFile(dir.resolve("k2"));
        assertThatThrownBy(() -> other.open(sealed, "alice/source")).hasMessageContaining("wrong key");
    }
}
