package io.mxcutover.appliance.facts;

import io.mxcutover.appliance.probe.PostCutoverProbes;
import java.util.List;

/**
 * The new-server passwords the appliance knows, for the credential check after cutover: each mailbox that
 * has one is logged in to the new IMAP server once. The sync wiring installs its source with
 * {@link PostCutoverProbes#credentials(CredentialSource)}; until then {@link #UNKNOWN} answers and the
 * check says no password is known.
 *
 * <p>Contract: may be called from any thread; must not throw for a domain it does not know (empty list).
 * The passwords it returns are used for one LOGIN each and never logged, stored or shown.
 */
@FunctionalInterface
public interface CredentialSource {

    /** The domain's mailboxes whose new-server password is known; mailboxes without one are left out. */
    List<MailboxLogin> newServerLogins(String domain);

    /** Nothing wired: no password is known. */
    CredentialSource UNKNOWN = new CredentialSource() {
        @Override
        public List<MailboxLogin> newServerLogins(String domain) {
            return List.of();
        }

        @Override
        public String toString() {
            return "no credential source wired";
        }
    };
}
