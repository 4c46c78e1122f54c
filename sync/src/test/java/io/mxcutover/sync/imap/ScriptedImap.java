package io.mxcutover.sync.imap;

import java.net.ServerSocket;
import java.util.Properties;
import org.eclipse.angus.mail.util.MailLogger;

/** A {@link RawImapProtocol} connected to a test's scripted server on loopback (10 s read timeout). */
final class ScriptedImap {
    private ScriptedImap() {}

    static RawImapProtocol connect(ServerSocket listener, Class<?> test) throws Exception {
        Properties props = new Properties();
        props.setProperty("mail.imap.timeout", "10000");
        return new RawImapProtocol(
                "imap",
                "127.0.0.1",
                listener.getLocalPort(),
                props,
                false,
                new MailLogger(test, "test", false, System.err));
    }
}
