package io.mxcutover.appliance.demo;

import com.icegreen.greenmail.user.GreenMailUser;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Properties;

/** The demo's sample mailboxes and the real-looking messages seeded into the legacy server. */
final class DemoMailboxes {
    static final String DOMAIN = "example.test";
    static final List<String> USERS = List.of("alice", "bob", "carol");
    /**
     * The mailbox imported without its legacy password: it waits (AWAITING_USER) until its user logs in on
     * /migrate/ with {@link #SELF_SERVICE_PASSWORD}, which starts its copy.
     */
    static final String SELF_SERVICE_USER = "dave";

    static final String SELF_SERVICE_PASSWORD = "dave-old-pw";

    private static final String[][] MESSAGES = {
        {
            "bob",
            "Q3 budget review",
            "Hi Alice,\r\n\r\nattached are the figures we discussed. Can we go through"
                    + " them on Thursday?\r\n\r\nBob\r\n"
        },
        {"carol", "Re: office move", "The movers come on the 14th. Please label your boxes.\r\n\r\n-- \r\nCarol\r\n"},
        {"newsletter@vendor.example", "Your November newsletter", "<html><body><p>News from us.</p></body></html>\r\n"},
        {"alice", "Lunch?", "Thai place at 12:30?\r\n"},
        {
            "it-helpdesk@example.test",
            "Mail migration this weekend",
            "Dear colleagues,\r\n\r\nyour mailbox moves to"
                    + " the new server this weekend. You do not need to do anything.\r\n\r\nIT\r\n"
        },
    };

    private DemoMailboxes() {}

    static String password(String user) {
        return user.equals(SELF_SERVICE_USER) ? SELF_SERVICE_PASSWORD : user + "-pw";
    }

    /** Creates the users on a server; seeds messages only when {@code seed} (the legacy side). */
    static int setUp(DemoMailServer server, boolean seed) throws Exception {
        int count = 0;
        Session session = Session.getInstance(new Properties());
        ZonedDateTime date = ZonedDateTime.of(2026, 10, 1, 9, 0, 0, 0, ZoneOffset.UTC);
        for (String user : java.util.stream.Stream.concat(USERS.stream(), java.util.stream.Stream.of(SELF_SERVICE_USER))
                .toList()) {
            GreenMailUser u = server.mail.setUser(user + "@" + DOMAIN, user, password(user));
            if (!seed) continue;
            for (int i = 0; i < MESSAGES.length; i++) {
                String[] m = MESSAGES[i];
                if (m[0].equals(user)) continue;
                String from = m[0].contains("@") ? m[0] : m[0] + "@" + DOMAIN;
                date = date.plusHours(7);
                String raw = "Return-Path: <" + from + ">\r\n"
                        + "From: " + from + "\r\n"
                        + "To: " + user + "@" + DOMAIN + "\r\n"
                        + "Subject: " + m[1] + "\r\n"
                        + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(date) + "\r\n"
                        + "Message-ID: <demo-" + user + "-" + i + "@" + DOMAIN + ">\r\n"
                        + "MIME-Version: 1.0\r\n"
                        + "Content-Type: " + (m[2].startsWith("<html>") ? "text/html" : "text/plain")
                        + "; charset=utf-8\r\n\r\n" + m[2];
                u.deliver(new MimeMessage(session, new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8))));
                count++;
            }
        }
        return count;
    }
}
