package io.mxcutover.appliance.demo;

import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import io.mxcutover.appliance.auth.PasswordAuthenticator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code ./mxcutover demo}: the whole product on embedded servers, nothing to install. Starts a "legacy"
 * and a "new" mail server (GreenMail) on free loopback ports, seeds sample mailboxes of
 * {@code example.test}, writes a plan and a service YAML into a temporary directory, runs the appliance on
 * them (console and REST on 8080 unless taken), imports the mailboxes, and only then prints the console's URL,
 * what it started and the commands to try. After the history copy it switches the MX in its own DNS
 * ({@code --switch-mx-after}), so the console shows the whole migration moving.
 */
public final class DemoCommand extends Command {
    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "admin-demo-pw";
    static final String OPERATOR = "ops";
    static final String OPERATOR_PASSWORD = "ops-demo-pw";

    public DemoCommand() {
        super("demo", "Run mxcutover on embedded legacy and new mail servers with sample mailboxes");
    }

    @Override
    public void configure(Subparser subparser) {
        subparser
                .addArgument("--port")
                .type(Integer.class)
                .setDefault(8080)
                .help("REST port (a free one is chosen when this one is taken)");
        subparser
                .addArgument("--switch-mx-after")
                .type(Integer.class)
                .setDefault(20)
                .help("seconds after the history copy at which the demo switches the MX in its DNS (-1: never)");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
        Path dir = Files.createTempDirectory("mxcutover-demo-");
        // Four resolvers, three with warm caches 8 s out of step: after the switch the console's chart climbs
        // a quarter at a time within the old record's 30 s TTL.
        DemoDns dns = DemoDns.start(dir, java.time.Clock.systemUTC(), 3, java.time.Duration.ofSeconds(8));
        DemoMailServer legacy = new DemoMailServer("legacy");
        DemoMailServer target = new DemoMailServer("new");
        int seeded = DemoMailboxes.setUp(legacy, true);
        DemoMailboxes.setUp(target, false);
        int apiPort = portOr(namespace.getInt("port"));
        int adminPort = portOr(apiPort + 1);
        int smtpPort = portOr(2525);
        Path sample = dir.resolve("hello.eml");
        Files.writeString(sample, SAMPLE_MESSAGE, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("mailboxes.csv"), DemoImport.csv(), StandardCharsets.UTF_8);

        Path plan = dir.resolve("plan.yml");
        Files.writeString(plan, planYaml(legacy, target), StandardCharsets.UTF_8);
        Path yml = dir.resolve("mxcutover.yml");
        Files.writeString(yml, serviceYaml(dir, plan, apiPort, adminPort, smtpPort, dns), StandardCharsets.UTF_8);

        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            legacy.close();
                            target.close();
                            dns.close();
                            removeQuietly(dir);
                        },
                        "demo-shutdown"));

        @SuppressWarnings("unchecked")
        var app = (io.dropwizard.core.Application<io.mxcutover.appliance.ApplianceConfiguration>)
                bootstrap.getApplication();
        // The server command returns once Jetty listens: only then the import and the banner, so that every
        // URL and command it prints answers at once.
        app.run("server", yml.toString());
        System.out.println(DemoImport.importNow(apiPort));
        int switchAfter = namespace.getInt("switch_mx_after");
        System.out.println(
                banner(dir, legacy, target, seeded, apiPort, adminPort, smtpPort, plan, sample, dns, switchAfter)
                        .replace("\nCtrl-C stops the demo.", selfServiceStory(apiPort) + "\nCtrl-C stops the demo."));
        if (switchAfter >= 0) {
            new DemoMxSwitch(dns, apiPort, java.time.Duration.ofSeconds(switchAfter)).start();
        }
    }

    /**
     * The demo's directory holds nothing that outlives it (its mail servers and DNS are in memory): removed at
     * exit, as far as it can be while the appliance's own shutdown still closes files in it.
     */
    static void removeQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            System.err.println("demo: could not remove " + dir + " (" + e.getMessage() + "); remove it by hand");
        }
    }

    /** The self-service part of the story: the page, the address and the old password to type. */
    static String selfServiceStory(int api) {
        String address = DemoMailboxes.SELF_SERVICE_USER + "@" + DemoMailboxes.DOMAIN;
        return """
                  # 7. self-service: %s was imported WITHOUT its password (AWAITING_USER, nothing copied).
                  #    Open http://localhost:%d/migrate/ and log in as the user would:
                  #      address %s   old password %s
                  #    its copy starts at once, and the page shows its folders and messages copied.
                  curl -s -u %s:%s http://localhost:%d/api/v1/domains/example.test/mailboxes?state=AWAITING_USER
                """.formatted(
                        address, api, address, DemoMailboxes.SELF_SERVICE_PASSWORD, OPERATOR, OPERATOR_PASSWORD, api);
    }

    static String planYaml(DemoMailServer legacy, DemoMailServer target) {
        return """
                # Demo migration plan (written by ./mxcutover demo). Edit it while the demo runs:
                # the appliance reloads it within seconds.
                window:
                  catchUp: 48h
                  quietPeriod: 6h
                domains:
                  - name: example.test
                    legacy:
                      smtp: [ "127.0.0.1:%d" ]
                      imap: "imap://127.0.0.1:%d"
                      mx: [ mx.legacy.example.test ]
                      spf: [ "include:spf.legacy.example.test" ]
                    new:
                      smtp: [ "127.0.0.1:%d" ]
                      imap: "imap://127.0.0.1:%d"
                      mx: [ mx1.new.example.test, mx2.new.example.test ]
                      spf: [ "include:spf.new.example.test" ]
                    recipients: [ alice, bob, carol, postmaster ]
                """.formatted(legacy.smtpPort(), legacy.imapPort(), target.smtpPort(), target.imapPort());
    }

    static final String SAMPLE_MESSAGE = """
            From: Dana Sender <dana@outside.example>\r
            To: Alice <alice@example.test>\r
            Subject: Hello from the demo\r
            Message-ID: <hello-demo@outside.example>\r
            MIME-Version: 1.0\r
            Content-Type: text/plain; charset=utf-8\r
            \r
            This message went through mxcutover's relay.\r
            """;

    static String serviceYaml(Path dir, Path plan, int apiPort, int adminPort, int smtpPort, DemoDns dns) {
        return """
                plan: %s
                relay:
                  listen: 127.0.0.1
                  port: %d
                  hostname: mx.demo.example.test
                  spool: %s
                  minBackoff: 10s
                  maxBackoff: 60s
                # GreenMail's IDLE does not announce new mail: every mailbox is checked every 5 s, IDLEd or not.
                sync:
                  intervalSeconds: 5
                  maxIntervalSeconds: 5
                  parallelMailboxes: 3
                store:
                  path: %s
                # The demo's own DNS (DemoDns): example.test from %s, authoritative + caching resolvers on loopback.
                dns:
                  authoritative: [ "127.0.0.1:%d" ]
                  resolvers: [ %s ]
                  pollInterval: 5s
                  fastPollInterval: 5s
                  tick: 1s
                users:
                  - name: %s
                    role: ADMIN
                    passwordHash: "%s"
                  - name: %s
                    role: OPERATOR
                    passwordHash: "%s"
                server:
                  applicationConnectors:
                    - type: http
                      bindHost: 127.0.0.1
                      port: %d
                  adminConnectors:
                    - type: http
                      bindHost: 127.0.0.1
                      port: %d
                  requestLog:
                    appenders: []
                logging:
                  level: INFO
                  loggers:
                    org.eclipse.jetty: WARN
                    org.flywaydb: WARN
                    com.icegreen: WARN
                """.formatted(
                        plan,
                        smtpPort,
                        dir.resolve("spool"),
                        dir.resolve("state/mxcutover.db"),
                        dns.zoneFile(),
                        dns.authoritativePort(),
                        dns.resolverPorts().stream()
                                .map(p -> "\"127.0.0.1:" + p + "\"")
                                .collect(java.util.stream.Collectors.joining(", ")),
                        ADMIN,
                        PasswordAuthenticator.hash(ADMIN_PASSWORD.toCharArray()),
                        OPERATOR,
                        PasswordAuthenticator.hash(OPERATOR_PASSWORD.toCharArray()),
                        apiPort,
                        adminPort);
    }

    private static String banner(
            Path dir,
            DemoMailServer legacy,
            DemoMailServer target,
            int seeded,
            int api,
            int admin,
            int smtp,
            Path plan,
            Path sample,
            DemoDns dns,
            int switchAfter) {
        String base = "http://localhost:" + api + "/api/v1";
        String console = "http://localhost:" + api + "/";
        String switchLine = switchAfter >= 0
                ? "# 5. the demo switches the MX by itself " + switchAfter + " s after the history copy (or do it now):"
                : "# 5. switch the MX: published at once, on the resolver after the old 30 s TTL:";
        String op = "curl -s -u " + OPERATOR + ":" + OPERATOR_PASSWORD + " ";
        String ad = "curl -s -u " + ADMIN + ":" + ADMIN_PASSWORD + " ";
        return """

                mxcutover demo
                ==============
                Console             %s
                                    log in as %s / %s (watches) or %s / %s (can go live)

                legacy mail server  SMTP 127.0.0.1:%d  IMAP 127.0.0.1:%d  (%d messages seeded for alice, bob, carol @example.test)
                new mail server     SMTP 127.0.0.1:%d  IMAP 127.0.0.1:%d  (empty)
                mailbox passwords   alice-pw, bob-pw, carol-pw
                state and config    %s  (removed when the demo stops)
                relay (the MX)      SMTP 127.0.0.1:%d
                REST API            %s   (operator %s / %s, admin %s / %s)
                admin port          http://localhost:%d/healthcheck  /metrics  (operator), /tasks (admin)
                demo DNS            example.test zone %s (authoritative 127.0.0.1:%d, caching resolvers 127.0.0.1:%s)

                Try:
                  %s%s/status
                  %s%s/domains/example.test
                  # 1. the sync copies the seeded history from legacy to new (mailboxes imported from %s):
                  %s%s/mailboxes
                  curl -s -u alice:alice-pw imap://127.0.0.1:%d/INBOX -X 'SEARCH ALL'
                  # 2. mail to the domain goes through the relay to the LEGACY server, and the sync copies it to new:
                  curl -s smtp://127.0.0.1:%d --mail-from dana@outside.example --mail-rcpt alice@example.test --upload-file %s
                  curl -s -u alice:alice-pw imap://127.0.0.1:%d/INBOX -X 'SEARCH SUBJECT "Hello from the demo"'
                  %s%s/queue
                  # 3. verify every mailbox (identities and content hashes on both sides), then go live:
                  %s-X POST %s/domains/example.test/verify; echo
                  %s%s/domains/example.test/verify   # until run.state is "done": every mailbox READY
                  %s%s/domains/example.test      # readiness: all PASS; DNS warns until the MX is switched
                  %s-X POST %s/domains/example.test/cutover -H 'Content-Type: application/json' -d '{"reason":"demo go-live"}'
                  # 4. now the same mail lands directly on the NEW server:
                  curl -s smtp://127.0.0.1:%d --mail-from dana@outside.example --mail-rcpt alice@example.test --upload-file %s
                  curl -s -u alice:alice-pw imap://127.0.0.1:%d/INBOX -X 'SEARCH SUBJECT "Hello from the demo"'
                  %s
                  %s
                  %s%s/domains/example.test/dns
                  ./mxcutover dnscheck example.test --expect mx1.new.example.test,mx2.new.example.test --authoritative 127.0.0.1:%d --resolver 127.0.0.1:%d --plan
                  # 6. the catch-up window closes 48 h after the switch; in the demo an admin closes it early:
                  %s-X POST %s/domains/example.test/window -H 'Content-Type: application/json' -d '{"close":true,"force":true,"reason":"demo"}'
                  %s%s/domains/example.test/report
                  %s%s/audit
                  # roles: an operator may not change anything (403), and bad credentials get 401:
                  %s-X POST %s/plan/reload
                  %shttp://localhost:%d/healthcheck
                  # add a domain to %s and watch /status pick it up within seconds

                Ctrl-C stops the demo.
                """.formatted(
                console,
                OPERATOR,
                OPERATOR_PASSWORD,
                ADMIN,
                ADMIN_PASSWORD,
                legacy.smtpPort(),
                legacy.imapPort(),
                seeded,
                target.smtpPort(),
                target.imapPort(),
                dir,
                smtp,
                base,
                OPERATOR,
                OPERATOR_PASSWORD,
                ADMIN,
                ADMIN_PASSWORD,
                admin,
                dns.zoneFile(),
                dns.authoritativePort(),
                dns.resolverPorts().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", :")),
                op,
                base,
                op,
                base,
                dir.resolve("mailboxes.csv"),
                op,
                base,
                target.imapPort(),
                smtp,
                sample,
                legacy.imapPort(),
                op,
                base,
                ad,
                base,
                op,
                base,
                op,
                base,
                ad,
                base,
                smtp,
                sample,
                target.imapPort(),
                switchLine,
                dns.switchCommand(),
                op,
                base,
                dns.authoritativePort(),
                dns.resolverPort(),
                ad,
                base,
                op,
                base,
                op,
                base,
                op,
                base,
                op,
                admin,
                plan);
    }

    /** {@code wanted} when it is free on loopback, otherwise any free port. */
    static int portOr(int wanted) throws IOException {
        try (ServerSocket s = new ServerSocket(wanted, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException taken) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            }
        }
    }
}
