package io.mxcutover.relay.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mxcutover.relay.testing.TestCertificates;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.conscrypt.Conscrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The choice of STARTTLS implementation ({@code relay.tlsProvider}): pure, then on this machine. */
class TlsProviderTest {

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource({"auto, AUTO", "'', AUTO", " Native , NATIVE", "conscrypt, NATIVE", "BoringSSL, NATIVE", "JDK, JDK"})
    void parseShouldTakeTheDocumentedWordsInAnyCase(String value, TlsProvider expected) {
        assertThat(TlsProvider.parse("relay.tlsProvider", value)).isEqualTo(expected);
    }

    @Test
    void parseShouldNameTheKeyAndTheWordsToWrite() {
        assertThatThrownBy(() -> TlsProvider.parse("relay.tlsProvider", "openssl"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("relay.tlsProvider: 'openssl' is not a TLS provider; write auto, native or jdk");
    }

    @Test
    void autoShouldUseBoringSslOnlyWhenItLoads() {
        assertThat(TlsProvider.AUTO.useNative(Optional.empty())).isTrue();
        assertThat(TlsProvider.AUTO.useNative(Optional.of("UnsatisfiedLinkError: no such library")))
                .isFalse();
    }

    @Test
    void jdkShouldNeverUseBoringSsl() {
        assertThat(TlsProvider.JDK.useNative(Optional.empty())).isFalse();
        assertThat(TlsProvider.JDK.useNative(Optional.of("whatever"))).isFalse();
    }

    @Test
    void nativeShouldRefuseToStartWithoutBoringSslAndSayWhatToSet() {
        assertThat(TlsProvider.NATIVE.useNative(Optional.empty())).isTrue();
        assertThatThrownBy(() -> TlsProvider.NATIVE.useNative(Optional.of("UnsatisfiedLinkError: libc too old")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("relay.tlsProvider is native")
                .hasMessageContaining("UnsatisfiedLinkError: libc too old")
                .hasMessageContaining("set relay.tlsProvider to auto or jdk");
    }

    /**
     * The machines this is built and packaged on are Linux x86-64 (the CI) or arm64, where the Conscrypt jar
     * carries its library: if it stopped loading, auto would quietly fall back to the JDK's TLS at twice the CPU.
     */
    @Test
    void boringSslShouldLoadOnThisMachine(@TempDir Path dir) throws Exception {
        assertThat(TlsProvider.nativeUnavailable()).isEmpty();
        Path keystore = TestCertificates.keystore(dir, "mx", "mx.example.test");

        SSLContext auto = TlsProvider.AUTO.serverContext(TestCertificates.keyManagers(keystore));
        SSLContext jdk = TlsProvider.JDK.serverContext(TestCertificates.keyManagers(keystore));

        assertThat(Conscrypt.isConscrypt(auto)).isTrue();
        assertThat(Conscrypt.isConscrypt(jdk)).isFalse();
        assertThat(jdk.getProvider().getName()).isEqualTo("SunJSSE");
    }
}
