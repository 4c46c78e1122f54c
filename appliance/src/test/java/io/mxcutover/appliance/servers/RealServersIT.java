package io.mxcutover.appliance.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mxcutover.it.DnsServers;
import io.mxcutover.it.ImapServer;
import io.mxcutover.it.RealServers;
import io.mxcutover.it.TestServers;
import io.mxcutover.it.TestUser;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.SubjectTerm;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The foundation's real servers (it/servers.sh through {@link RealServers}) do what every other
 * integration test relies on: both Dovecots let a user and the master user in, Postfix delivers
 * into legacy Dovecot, NSD serves a rewritten zone after reload, Unbound resolves through NSD.
 */
@ExtendWith(RealServers.class)
class RealServersIT {

    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void legacyDovecotShouldLetUserAndMasterUserIntoTheUsersMailbox(TestServers servers) throws Exception {
        assertUserAndMasterSeeTheSameMailbox(servers.legacyImap());
    }

    @Test
    void newDovecotShouldLetUserAndMasterUserIntoTheUsersMailbox(TestServers servers) throws Exception {
        assertUserAndMasterSeeTheSameMailbox(servers.newImap());
    }

    @Test
    void dovecotsShouldUseTheirOwnSeparatorAndPrefix(TestServers servers) throws Exception {
        ImapServer legacy = servers.legacyImap();
        ImapServer fresh = servers.newImap();
        assertThat(legacy.separator()).isEqualTo('.');
        assertThat(legacy.prefix()).isEqualTo("INBOX.");
        assertThat(fresh.separator()).isEqualTo('/');
        assertThat(fresh.prefix()).isEmpty();

        Store store = connect(legacy, legacy.user("carol"));
        try {
            assertThat(store.getDefaultFolder().getSeparator()).isEqualTo('.');
            assertThat(store.getFolder("INBOX.Sent").exists()).isTrue();
            assertThat(store.getPersonalNamespaces()[0].getFullName()).isEqualTo("INBOX");
        } finally {
            store.close();
        }
        store = connect(fresh, fresh.user("carol"));
        try {
            assertThat(store.getDefaultFolder().getSeparator()).isEqualTo('/');
            assertThat(store.getFolder("Sent").exists()).isTrue();
        } finally {
            store.close();
        }
    }

    @Test
    void createdUserShouldLogInAtOnce(TestServers servers) throws Exception {
        String login = "u" + UUID.randomUUID().toString().substring(0, 8);
        TestUser user = servers.newImap().createUser(login, login + "-secret");

        assertThat(user.address()).isEqualTo(login + "@example.test");
        assertThat(servers.newImap().user(login)).isEqualTo(user);
        Store store = connect(servers.newImap(), user);
        try {
            assertThat(store.getFolder("INBOX").exists()).isTrue();
        } finally {
            store.close();
        }
    }

    @Test
    void postfixShouldDeliverIntoLegacyDovecotWhenMailIsForTheTestDomain(TestServers servers) throws Exception {
        TestUser bob = servers.legacyImap().user("bob");
        String subject = "through postfix " + UUID.randomUUID();
        Properties props = timeouts("smtp");
        props.put("mail.smtp.host", servers.legacySmtp().host());
        props.put("mail.smtp.port", Integer.toString(servers.legacySmtp().port()));
        MimeMessage message = new MimeMessage(Session.getInstance(props));
        message.setFrom(new InternetAddress("sender@elsewhere.example"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(bob.address()));
        message.setSubject(subject);
        message.setText("Delivered by Postfix over LMTP.\r\n");

        Transport.send(message);

        await().atMost(DELIVERY_TIMEOUT)
                .untilAsserted(() -> assertThat(subjectsInInbox(servers.legacyImap(), bob, subject))
                        .containsExactly(subject));
    }

    @Test
    void nsdShouldServeTheNewMxWhenTheZoneIsRewrittenAndReloaded(TestServers servers) throws Exception {
        DnsServers dns = servers.dns();
        Path zoneFile = dns.zoneDir().resolve("example.test.zone");
        String seeded = Files.readString(zoneFile, StandardCharsets.UTF_8);
        assertThat(mxTargets(dns.authoritativePort(), false)).containsExactly("mx.legacy.test.");
        try {
            dns.writeZone("example.test", """
                    $ORIGIN example.test.
                    $TTL 300
                    @       IN SOA  ns1.example.test. hostmaster.example.test. ( 2 3600 600 86400 60 )
                            IN NS   ns1.example.test.
                    ns1     IN A    127.0.0.1
                    @    30 IN MX   10 mx.new.test.
                    """);
            dns.reload();

            assertThat(mxTargets(dns.authoritativePort(), false)).containsExactly("mx.new.test.");
            assertThat(mxTargets(dns.secondAuthoritativePort(), false))
                    .as("NSD #2 has its own zone dir")
                    .containsExactly("mx.legacy.test.");
        } finally {
            dns.writeZone("example.test", seeded);
            dns.reload();
            dns.flushResolver();
        }
        assertThat(mxTargets(dns.authoritativePort(), false)).containsExactly("mx.legacy.test.");
    }

    @Test
    void unboundShouldResolveTheTestDomainThroughNsdWithATtl(TestServers servers) throws Exception {
        DnsServers dns = servers.dns();
        dns.flushResolver();

        org.xbill.DNS.Message answer = query(dns.resolverPort(), "example.test.", Type.MX, true);

        assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
        List<Record> mx = answer.getSection(Section.ANSWER);
        assertThat(mx).hasSize(1);
        assertThat(((MXRecord) mx.get(0)).getTarget()).hasToString("mx.legacy.test.");
        assertThat(mx.get(0).getTTL()).isBetween(1L, 30L);
        assertThat(query(dns.resolverPort(), "nowhere.test.", Type.MX, true).getRcode())
                .as("names under test. that no zone has do not exist")
                .isEqualTo(Rcode.NXDOMAIN);
    }

    private static void assertUserAndMasterSeeTheSameMailbox(ImapServer server) throws Exception {
        TestUser alice = server.user("alice");
        String marker = "marker for " + server.name() + " " + UUID.randomUUID();
        Store own = connect(server, alice);
        try {
            Folder inbox = own.getFolder("INBOX");
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
            message.setSubject(marker);
            message.setText("only in alice's mailbox\r\n");
            message.setFlags(new Flags(Flags.Flag.SEEN), true);
            inbox.appendMessages(new Message[] {message});
        } finally {
            own.close();
        }

        assertThat(subjectsInInbox(server, masterLogin(server, alice), marker))
                .as("log in as alice*master")
                .containsExactly(marker);

        Properties props = timeouts("imap");
        props.put("mail.imap.auth.mechanisms", "PLAIN");
        props.put("mail.imap.sasl.authorizationid", alice.login());
        Store viaSasl = Session.getInstance(props).getStore("imap");
        viaSasl.connect(server.host(), server.port(), server.masterUser(), server.masterPassword());
        try {
            assertThat(subjects(viaSasl, marker))
                    .as("SASL PLAIN authzid alice, authcid master")
                    .containsExactly(marker);
        } finally {
            viaSasl.close();
        }
    }

    private static TestUser masterLogin(ImapServer server, TestUser user) {
        return new TestUser(server.masterLogin(user.login()), server.masterPassword(), user.address());
    }

    private static List<String> subjectsInInbox(ImapServer server, TestUser user, String subject)
            throws MessagingException {
        Store store = connect(server, user);
        try {
            return subjects(store, subject);
        } finally {
            store.close();
        }
    }

    private static List<String> subjects(Store store, String subject) throws MessagingException {
        Folder inbox = store.getFolder("INBOX");
        inbox.open(Folder.READ_ONLY);
        try {
            List<String> found = new java.util.ArrayList<>();
            for (Message m : inbox.search(new SubjectTerm(subject))) {
                found.add(m.getSubject());
            }
            return found;
        } finally {
            inbox.close(false);
        }
    }

    private static Store connect(ImapServer server, TestUser user) throws MessagingException {
        Store store = Session.getInstance(timeouts("imap")).getStore("imap");
        store.connect(server.host(), server.port(), user.login(), user.password());
        return store;
    }

    private static Properties timeouts(String protocol) {
        Properties props = new Properties();
        props.put("mail." + protocol + ".connectiontimeout", "10000");
        props.put("mail." + protocol + ".timeout", "10000");
        props.put("mail." + protocol + ".writetimeout", "10000");
        return props;
    }

    private static List<String> mxTargets(int port, boolean recursionDesired) throws IOException {
        org.xbill.DNS.Message answer = query(port, "example.test.", Type.MX, recursionDesired);
        assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
        return answer.getSection(Section.ANSWER).stream()
                .filter(MXRecord.class::isInstance)
                .map(r -> ((MXRecord) r).getTarget().toString())
                .collect(Collectors.toList());
    }

    private static org.xbill.DNS.Message query(int port, String name, int type, boolean recursionDesired)
            throws IOException {
        SimpleResolver resolver = new SimpleResolver(InetAddress.getLoopbackAddress());
        resolver.setPort(port);
        resolver.setTimeout(Duration.ofSeconds(5));
        org.xbill.DNS.Message query =
                org.xbill.DNS.Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        if (!recursionDesired) {
            query.getHeader().unsetFlag(org.xbill.DNS.Flags.RD);
        }
        return resolver.send(query);
    }
}
