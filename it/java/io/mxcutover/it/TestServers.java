package io.mxcutover.it;

import java.util.Objects;

/**
 * The running test servers, as handed to a test by {@link RealServers}.
 *
 * @param domain     the test mail domain ({@value #DOMAIN}), accepted by {@link #legacySmtp()}
 * @param legacyImap Dovecot "legacy": separator {@code '.'}, personal namespace prefix {@code "INBOX."}
 * @param newImap    Dovecot "new": separator {@code '/'}, no prefix
 * @param legacySmtp Postfix: accepts RCPT for users of {@code legacyImap} in {@code domain},
 *                   delivers via LMTP into legacy Dovecot
 * @param newSmtp    a second Postfix, the new server's MTA: accepts RCPT for users of {@code newImap}
 *                   in {@code domain}, delivers via LMTP into new Dovecot
 * @param dns        NSD #1, NSD #2 and the Unbound resolver
 */
public record TestServers(
        String domain,
        ImapServer legacyImap,
        ImapServer newImap,
        SmtpServer legacySmtp,
        SmtpServer newSmtp,
        DnsServers dns) {

    /** The mail domain every test user's address is in. */
    public static final String DOMAIN = "example.test";

    public TestServers {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(legacyImap, "legacyImap");
        Objects.requireNonNull(newImap, "newImap");
        Objects.requireNonNull(legacySmtp, "legacySmtp");
        Objects.requireNonNull(newSmtp, "newSmtp");
        Objects.requireNonNull(dns, "dns");
    }
}
