package io.mxcutover.relay.intake;

import java.security.GeneralSecurityException;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import org.conscrypt.Conscrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which TLS implementation answers inbound STARTTLS ({@code relay.tlsProvider}).
 *
 * <p>The JDK's TLS spends about twice the CPU per STARTTLS session of OpenSSL in Postfix: its X25519 key
 * exchange, which every TLS 1.3 handshake does, resumed or not, is plain Java. BoringSSL through Conscrypt
 * (Google's JSSE provider, the one Android ships) does the same handshake natively: 2.35 ms of relay CPU per
 * 5 KB message at 10 connections against 4.31 ms with the JDK's (bench/relay/RESULTS.md, 2026-12-07). Its
 * native library comes inside the Conscrypt jar for Linux on x86-64 and arm64; elsewhere {@link #AUTO} falls
 * back to the JDK's and says why.
 */
public enum TlsProvider {
    /** BoringSSL through Conscrypt when its native library loads on this machine, else the JDK's, with a warning. */
    AUTO,
    /** BoringSSL through Conscrypt; the relay does not start without it. */
    NATIVE,
    /** The JDK's own TLS (SunJSSE). */
    JDK;

    private static final Logger LOG = LoggerFactory.getLogger(TlsProvider.class);

    /** Reads a configured value; {@code key} names the setting in the error. */
    public static TlsProvider parse(String key, String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "", "auto" -> AUTO;
            case "native", "conscrypt", "boringssl" -> NATIVE;
            case "jdk" -> JDK;
            default ->
                throw new IllegalArgumentException(
                        key + ": '" + value + "' is not a TLS provider; write auto, native or jdk");
        };
    }

    /**
     * Whether to use the native provider, given why it cannot load (empty: it loads). Pure.
     *
     * @throws IllegalStateException for {@link #NATIVE} when it cannot load
     */
    public boolean useNative(Optional<String> nativeUnavailable) {
        return switch (this) {
            case JDK -> false;
            case AUTO -> nativeUnavailable.isEmpty();
            case NATIVE -> {
                if (nativeUnavailable.isPresent()) {
                    throw new IllegalStateException("relay.tlsProvider is native, but BoringSSL (Conscrypt) does not"
                            + " load on this machine: " + nativeUnavailable.get()
                            + "; set relay.tlsProvider to auto or jdk to use the JDK's TLS");
                }
                yield true;
            }
        };
    }

    /** A server context for STARTTLS with these keys, from the provider this choice resolves to here. */
    public SSLContext serverContext(KeyManager[] keys) throws GeneralSecurityException {
        Optional<String> unavailable = this == JDK ? Optional.empty() : nativeUnavailable();
        boolean nativeTls = useNative(unavailable);
        SSLContext ctx =
                nativeTls ? SSLContext.getInstance("TLS", Conscrypt.newProvider()) : SSLContext.getInstance("TLS");
        ctx.init(keys, null, null);
        if (nativeTls) {
            Conscrypt.Version v = Conscrypt.version();
            LOG.info("STARTTLS: BoringSSL through Conscrypt {}.{}.{}", v.major(), v.minor(), v.patch());
        } else if (this == AUTO) {
            LOG.warn(
                    "STARTTLS: the JDK's TLS, which costs about twice the CPU per session, because BoringSSL"
                            + " (Conscrypt) does not load here: {}. Set relay.tlsProvider: jdk to keep the JDK's"
                            + " without this warning.",
                    unavailable.orElse("?"));
        } else {
            LOG.info("STARTTLS: the JDK's TLS (relay.tlsProvider: jdk)");
        }
        return ctx;
    }

    /** Why Conscrypt's native library does not load on this machine; empty when it does. */
    public static Optional<String> nativeUnavailable() {
        try {
            Conscrypt.checkAvailability();
            return Optional.empty();
        } catch (LinkageError | RuntimeException e) { // UnsatisfiedLinkError (a library that cannot load or map)
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return Optional.of(root.getClass().getSimpleName() + ": " + root.getMessage());
        }
    }
}
