package io.mxcutover.relay;

import io.mxcutover.relay.intake.TlsProvider;

/**
 * Every case of {@link RelayStartTlsTest} with {@code relay.tlsProvider: jdk}. A top-level class: Surefire
 * leaves nested test classes out by default, and did so with this one as {@code RelayStartTlsTest.Jdk}.
 */
class RelayStartTlsJdkTest extends RelayStartTlsTest {

    @Override
    TlsProvider provider() {
        return TlsProvider.JDK;
    }
}
