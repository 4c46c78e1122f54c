package io.mxcutover.relay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import io.mxcutover.it.RealServers;
import io.mxcutover.it.TestServers;
import io.mxcutover.it.TestUser;
import io.mxcutover.relay.Relay;
import io.mxcutover.relay.RelaySettings;
import io.mxcutover.relay.forward.RetrySchedule;
import io.mxcutover.relay.route.DomainRoute;
import io.mxcutover.relay.route.NextHop;
import io.mxcutover.relay.route.RoutingTable;
import io.mxcutover.relay.testing.SmtpScript;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.search.HeaderTerm;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay against real servers: client -> mxcutover relay -> Postfix (legacy MTA) -> LMTP ->
 * Dovecot (legacy), checked over IMAP.
 */
@ExtendWith(RealServers.class)
class RelayPostfixIT {

    @TempDir
    Path spool;

    TestServers servers;
    Relay relay;
    final AtomicReference<RoutingTable> table = new AtomicReference<>();
    final MetricRegistry metrics = new MetricRegistry();

    @BeforeEach
    void start(TestServers servers) throws Exception {
        this.servers = servers;
        table.set(routesTo(NextHop.of(
                servers.legacySmtp().host() + ":" + servers.legacySmtp().port())));
        relay = new Relay(
                RelaySettings.builder(spool)
                        .listen("127.0.0.1", 0)
                        .hostname("mx.relay.test")
                        .minFreeSpace(0)
                        .deliveryWorkers(2)
                        .retry(new RetrySchedule(
                                Duration.ofMillis(300), Duration.ofSeconds(1), Duration.ofDays(5), Duration.ofDays(1)))
                        .clientTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30))
                        .build(),
                table::get,
                Clock.systemUTC(),
                metrics);
        relay.start();
    }

    @AfterEach
    void stop() {
        relay.stop();
    }

    /** example.test and other.test routed to the given hop; Postfix accepts only example.test. */
    RoutingTable routesTo(NextHop hop) {
        return RoutingTable.of(
                new DomainRoute("example.test", false, false, List.of(hop), List.of(), Optional.empty(), false),
                new DomainRoute("other.test", false, false, List.of(hop), List.of(), Optional.empty(), false));
    }

    String message(String messageId) {
        return "From: Carol <carol@example.test>\r\nTo: Alice <alice@example.test>\r\n"
                + "Date: Thu, 1 Jan 2026 00:00:00 +0000\r\nSubject: relay IT " + messageId + "\r\n"
                + "Message-ID: <" + messageId + ">\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"
                + "DKIM-Signature: v=1; a=rsa-sha256; d=example.test; s=s1;\r\n\tbh=abc; b=def\r\n\r\n"
                + "Grüße, byte for byte.\r\n.leading dot line\r\n\r\n  indented, trailing spaces   \r\nend\r\n";
    }

    String send(String from, String to, String message) throws Exception {
        try (SmtpScript s = SmtpScript.connect(relay.listenAddress())) {
            s.expect("^220");
            s.send("EHLO client.example").expect("^250 ");
            s.send("MAIL FROM:<" + from + ">").expect("^250");
            s.send("RCPT TO:<" + to + ">").expect("^250");
            s.send("DATA").expect("^354");
            s.sendRaw(message.replace("\r\n.", "\r\n..") + ".\r\n");
            String reply = s.expect("^250 2.0.0 Ok: queued as ");
            s.send("QUIT");
            return reply.substring(reply.lastIndexOf(' ') + 1);
        }
    }

    /** Raw bytes of the message with this header value in the user's INBOX, or null. */
    byte[] fetch(TestUser user, String header, String value) throws Exception {
        Properties p = new Properties();
        p.put("mail.imap.connectiontimeout", "5000");
        p.put("mail.imap.timeout", "10000");
        p.put("mail.imap.peek", "true");
        Store store = Session.getInstance(p).getStore("imap");
        store.connect(servers.legacyImap().host(), servers.legacyImap().port(), user.login(), user.password());
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                Message[] found = inbox.search(new HeaderTerm(header, value));
                if (found.length == 0) {
                    return null;
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                found[0].writeTo(out);
                return out.toByteArray();
            } finally {
                inbox.close(false);
            }
        } finally {
            store.close();
        }
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static int headerEnd(byte[] m) {
        String s = new String(m, StandardCharsets.ISO_8859_1);
        return s.indexOf("\r\n\r\n") + 4;
    }

    @Test
    void relayShouldDeliverThroughPostfixToDovecotByteForByte() throws Exception {
        String id = UUID.randomUUID() + "@client.example";
        String sent = message(id);
        String queueId = send("carol@example.test", "alice@example.test", sent);
        TestUser alice = servers.legacyImap().user("alice");
        AtomicReference<byte[]> got = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    got.set(fetch(alice, "Message-ID", "<" + id + ">"));
                    return got.get() != null;
                });
        byte[] found = got.get();
        byte[] original = sent.getBytes(StandardCharsets.UTF_8);
        int fh = headerEnd(found);
        int oh = headerEnd(original);
        // body: identical
        assertThat(sha256(java.util.Arrays.copyOfRange(found, fh, found.length)))
                .isEqualTo(sha256(java.util.Arrays.copyOfRange(original, oh, original.length)));
        // original header section: identical and last; only trace headers were prepended
        String foundHeader = new String(found, 0, fh, StandardCharsets.ISO_8859_1);
        String originalHeader = new String(original, 0, oh, StandardCharsets.ISO_8859_1);
        assertThat(foundHeader).endsWith(originalHeader);
        assertThat(sha256(foundHeader
                        .substring(foundHeader.length() - originalHeader.length())
                        .getBytes(StandardCharsets.ISO_8859_1)))
                .isEqualTo(sha256(originalHeader.getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(foundHeader).contains("by mx.relay.test (mxcutover) with ESMTP id " + queueId);
    }

    @Test
    void relayShouldDeliverEverythingWhenLegacyComesBack() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort(); // free port, nothing listens after close
        }
        table.set(routesTo(NextHop.of("127.0.0.1:" + closed)));
        List<String> ids = List.of(
                UUID.randomUUID() + "@down.example",
                UUID.randomUUID() + "@down.example",
                UUID.randomUUID() + "@down.example");
        for (String id : ids) {
            send("carol@example.test", "alice@example.test", message(id));
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> relay.queue().list().stream()
                                .filter(m -> m.attempts() >= 2)
                                .count()
                        == 3);
        assertThat(relay.queue().list().get(0).lastReply()).contains("cannot connect");
        // legacy is back
        table.set(routesTo(NextHop.of(
                servers.legacySmtp().host() + ":" + servers.legacySmtp().port())));
        TestUser alice = servers.legacyImap().user("alice");
        for (String id : ids) {
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> fetch(alice, "Message-ID", "<" + id + ">") != null);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> relay.queue().list().isEmpty());
    }

    @Test
    void relayShouldBounceWithOriginalHeadersWhenPostfixRejectsPermanently() throws Exception {
        String id = UUID.randomUUID() + "@bounce.example";
        // Postfix refuses other.test (554 5.7.1 relay access denied): the relay bounces to alice,
        // and the bounce itself travels relay -> Postfix -> Dovecot.
        send("alice@example.test", "bob@other.test", message(id));
        TestUser alice = servers.legacyImap().user("alice");
        AtomicReference<byte[]> bounce = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    bounce.set(fetch(alice, "Subject", "Undelivered Mail Returned to Sender"));
                    return bounce.get() != null && new String(bounce.get(), StandardCharsets.UTF_8).contains(id);
                });
        String text = new String(bounce.get(), StandardCharsets.UTF_8);
        assertThat(text)
                .contains(
                        "multipart/report",
                        "Final-Recipient: rfc822; bob@other.test",
                        "Action: failed",
                        "Status: 5.",
                        "text/rfc822-headers",
                        "Message-ID: <" + id + ">",
                        "Subject: relay IT " + id);
        assertThat(metrics.counter("relay.bounced").getCount()).isEqualTo(1);
    }

    @Test
    void relayShouldNotBounceWhenSenderIsNull() throws Exception {
        String id = UUID.randomUUID() + "@nullsender.example";
        String queueId = send("", "bob@other.test", message(id));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> relay.queue().show(queueId).isEmpty());
        assertThat(metrics.counter("relay.bounced").getCount()).isEqualTo(1); // recipient failed ...
        assertThat(metrics.counter("relay.spooled").getCount()).isEqualTo(1); // ... but no bounce was queued
        assertThat(relay.queue().list()).isEmpty();
    }

    /**
     * "乢乯乢" cut to one byte per character (what Angus did without mail.mime.allowutf8) is
     * "bob": the message landed in another user's real mailbox. Postfix here has
     * {@code smtputf8_enable = no} (it/servers.sh), so the relay must not hand it the address at
     * all: 553 5.6.7 at RCPT without SMTPUTF8, and with SMTPUTF8 a 5.6.7 bounce to the sender.
     */
    @Test
    void relayShouldNeverGivePostfixAUtf8RecipientInAnotherEncoding() throws Exception {
        try (SmtpScript s = SmtpScript.connect(new java.net.InetSocketAddress(
                servers.legacySmtp().host(), servers.legacySmtp().port()))) {
            s.expect("^220");
            assertThat(s.send("EHLO relay-it.example").expect("^250 ")).doesNotContain("SMTPUTF8");
        }
        String lookalike = "\u4e62\u4e6f\u4e62@example.test"; // low bytes: b o b
        try (SmtpScript s = SmtpScript.connect(relay.listenAddress())) {
            s.expect("^220");
            s.send("EHLO client.example").expect("^250 ");
            s.send("MAIL FROM:<alice@example.test>").expect("^250");
            s.send("RCPT TO:<" + lookalike + ">").expect("^553 5.6.7");
            s.send("RCPT TO:<j\u00f6rg@example.test>").expect("^553 5.6.7");
            s.send("RSET").expect("^250");
        }
        String id = UUID.randomUUID() + "@utf8.example";
        String queueId;
        try (SmtpScript s = SmtpScript.connect(relay.listenAddress())) {
            s.expect("^220");
            s.send("EHLO client.example").expect("^250 ");
            s.send("MAIL FROM:<carol@example.test> SMTPUTF8").expect("^250");
            s.send("RCPT TO:<" + lookalike + ">").expect("^250");
            s.send("DATA").expect("^354");
            s.sendRaw("From: carol@example.test\r\nTo: " + lookalike + "\r\nSubject: utf8 " + id + "\r\nMessage-ID: <"
                    + id + ">\r\n\r\nhello\r\n.\r\n");
            String reply = s.expect("^250 2.0.0 Ok: queued as ");
            queueId = reply.substring(reply.lastIndexOf(' ') + 1);
        }
        // the bounce goes to carol: the other tests look for bounces in alice's INBOX
        TestUser carol = servers.legacyImap().user("carol");
        AtomicReference<byte[]> bounce = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    bounce.set(fetch(carol, "Subject", "Undelivered Mail Returned to Sender"));
                    return bounce.get() != null && new String(bounce.get(), StandardCharsets.UTF_8).contains(id);
                });
        String text = new String(bounce.get(), StandardCharsets.UTF_8);
        assertThat(text)
                .contains(
                        "Status: 5.6.7",
                        "SMTPUTF8 is required",
                        "Final-Recipient: utf-8; \\x{4E62}\\x{4E6F}\\x{4E62}@example.test")
                .doesNotContain("bob@example.test");
        assertThat(relay.queue().show(queueId)).isEmpty();
        // no lookalike mailbox got the message (the bounce above went through the same Postfix,
        // so it would have been delivered by now)
        for (String user : List.of("bob", "alice", "carol")) {
            assertThat(fetch(servers.legacyImap().user(user), "Message-ID", "<" + id + ">"))
                    .as(user)
                    .isNull();
        }
    }
}
