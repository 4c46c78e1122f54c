package io.mxcutover.sync.imap;

import java.security.Provider;
import java.security.Security;
import java.util.Map;
import javax.security.auth.callback.CallbackHandler;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslClientFactory;

/**
 * Makes {@link BearerSaslClient} known to {@code javax.security.sasl.Sasl}, which is how Angus Mail finds a SASL
 * mechanism (it has XOAUTH2 only, and only outside SASL). Registered once per JVM, as Angus registers its own
 * XOAUTH2 provider; it offers no other service.
 */
public final class BearerSaslProvider extends Provider {
    static final String NAME = "mxcutover-oauth2-sasl";

    public BearerSaslProvider() {
        super(NAME, "1.0", "SASL client of OAUTHBEARER (RFC 7628) and XOAUTH2");
        put("SaslClientFactory.OAUTHBEARER", Factory.class.getName());
        put("SaslClientFactory.XOAUTH2", Factory.class.getName());
    }

    /** Registers the provider unless it is registered already. */
    static synchronized void install() {
        if (Security.getProvider(NAME) == null) {
            Security.addProvider(new BearerSaslProvider());
        }
    }

    /** Created by {@code Sasl} through the provider, hence public with a no-argument constructor. */
    public static final class Factory implements SaslClientFactory {
        @Override
        public SaslClient createSaslClient(
                String[] mechanisms,
                String authorizationId,
                String protocol,
                String serverName,
                Map<String, ?> props,
                CallbackHandler cbh) {
            for (String m : mechanisms) {
                if (m.equalsIgnoreCase("OAUTHBEARER") || m.equalsIgnoreCase("XOAUTH2")) {
                    return new BearerSaslClient(m, cbh);
                }
            }
            return null;
        }

        @Override
        public String[] getMechanismNames(Map<String, ?> props) {
            return new String[] {"OAUTHBEARER", "XOAUTH2"};
        }
    }
}
