package io.mxcutover.appliance.demo;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/** One embedded mail server of the demo (GreenMail): SMTP and IMAP on free loopback ports. */
final class DemoMailServer implements AutoCloseable {
    final String name;
    final GreenMail mail;

    DemoMailServer(String name) {
        this.name = name;
        this.mail = new GreenMail(new ServerSetup[] {
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort(),
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort()
        });
        mail.start();
    }

    int smtpPort() {
        return mail.getSmtp().getPort();
    }

    int imapPort() {
        return mail.getImap().getPort();
    }

    @Override
    public void close() {
        mail.stop();
    }
}
