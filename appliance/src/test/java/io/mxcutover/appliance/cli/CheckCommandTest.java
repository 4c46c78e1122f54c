package io.mxcutover.appliance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import io.mxcutover.appliance.ApplianceApplication;
import io.mxcutover.appliance.ApplianceConfiguration;
import io.mxcutover.appliance.TestAppliance;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {
    @TempDir
    Path dir;

    record Run(Optional<Throwable> failure, String out, String err) {}

    Run check(String planText, String serviceYamlExtra) throws Exception {
        return check(planText, serviceYamlExtra, Files.readString(Path.of("src/test/resources/test.yml")));
    }

    Run check(String planText, String serviceYamlExtra, String serviceYaml) throws Exception {
        Path plan = dir.resolve("plan.yml");
        Files.writeString(plan, planText);
        String yml = serviceYaml
                        .replace("plan: conf/plan.yml", "plan: " + plan)
                        .replace("var/state", dir.resolve("state").toString())
                        .replace("target/test-state", dir.resolve("state").toString())
                + serviceYamlExtra;
        Path file = dir.resolve("mxcutover.yml");
        Files.writeString(file, yml);
        ApplianceApplication app = new ApplianceApplication();
        Bootstrap<ApplianceConfiguration> bootstrap = new Bootstrap<>(app);
        app.initialize(bootstrap);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            Cli cli = new Cli(new JarLocation(getClass()), bootstrap, System.out, System.err);
            Optional<Throwable> failure = cli.run("check", file.toString());
            return new Run(failure, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void checkShouldPassWhenYamlAndPlanAreValid() throws Exception {
        Run r = check(TestAppliance.plan("example.test"), "");
        assertThat(r.failure()).isEmpty();
        assertThat(r.out()).contains("OK:", "example.test");
    }

    @Test
    void checkShouldNameFileLineKeyAndFixWhenPlanHasTypo() throws Exception {
        Run r = check(TestAppliance.plan("example.test").replace("legacy: { smtp:", "legacy: { smpt:"), "");
        assertThat(r.failure()).containsInstanceOf(ConfigurationProblems.class);
        assertThat(r.err())
                .contains(
                        dir.resolve("plan.yml") + ":3: domains[0].legacy.smpt: unknown key 'smpt'",
                        "did you mean 'smtp'?");
    }

    @Test
    void checkShouldListYamlAndPlanProblemsTogether() throws Exception {
        Run r = check(TestAppliance.plan("bad..example"), "planCheckIntervalMillis: soon\n");
        assertThat(r.failure()).containsInstanceOf(ConfigurationProblems.class);
        assertThat(r.err()).contains("planCheckIntervalMillis", "not a domain name");
    }

    @Test
    void checkShouldPassOnTheShippedExampleConfiguration() throws Exception {
        String shipped = Files.readString(Path.of("../conf/mxcutover.yml"));
        assertThat(shipped).contains("plan: conf/plan.yml");
        Run r = check(Files.readString(Path.of("../conf/plan.yml")), "", shipped);
        assertThat(r.failure()).as(r.err()).isEmpty();
        assertThat(r.out())
                .contains(
                        "OK:",
                        "example.com switch-at-go-live, window from MX mx1.new-provider.example",
                        "example.org relay-first, window from MX mx.mxcutover.example");
    }

    @Test
    void checkShouldPassOnTheShippedClusterNodeExample() throws Exception {
        String shipped = Files.readString(Path.of("../conf/node-postgresql.yml"))
                .replace("plan: /etc/mxcutover/plan.yml", "plan: conf/plan.yml")
                .replace("${MXCUTOVER_STATE_DIR:-/var/lib/mxcutover}", "var/state")
                .replace(
                        "${MXCUTOVER_SPOOL_DIR:-/var/spool/mxcutover}",
                        dir.resolve("spool").toString())
                .replace("/etc/mxcutover/", dir.resolve("etc").toString() + "/")
                .replace("port: 25\n", "port: 0\n");
        Run r = check(Files.readString(Path.of("../conf/plan.yml")), "", shipped);
        assertThat(r.failure()).as(r.err()).isEmpty();
        assertThat(r.out()).contains("OK:");
    }

    @Test
    void checkShouldNameTheFileWhenAnEnvironmentVariableIsMissing() throws Exception {
        Run r = check(TestAppliance.plan("example.test"), "relay:\n  tlsKeystorePassword: ${MXCUTOVER_SURELY_UNSET}\n");
        assertThat(r.failure()).containsInstanceOf(ConfigurationProblems.class);
        assertThat(r.err()).contains("mxcutover.yml: ", "MXCUTOVER_SURELY_UNSET");
    }

    @Test
    void checkShouldNameAHookWithoutAbsoluteProgramAndAnUnknownEvent() throws Exception {
        Run relative = check(
                TestAppliance.plan("example.test"),
                "hooks:\n  commands:\n    - name: notify\n"
                        + "      events: [mailbox-history-copied]\n      command: [\"notify.sh\", \"--quiet\"]\n");
        assertThat(relative.failure()).containsInstanceOf(ConfigurationProblems.class);
        assertThat(relative.err()).contains("hooks.commands[0].command must start with the program's absolute path");

        Run unknown = check(
                TestAppliance.plan("example.test"),
                "hooks:\n  commands:\n    - name: notify\n"
                        + "      events: [mailbox-copied]\n      command: [\"/usr/local/bin/notify\"]\n");
        assertThat(unknown.failure()).isPresent();
        assertThat(unknown.err()).contains("mailbox-copied");
    }

    /**
     * Found by the probe of issue 10: "outboundTls: off" (the documented value, unquoted) and a misspelt
     * level passed check with "OK", then the server died at start with "No enum constant ...FALSE".
     */
    @Test
    void checkShouldNameAnUnknownRelayTlsLevelAndTakeUnquotedOff() throws Exception {
        String yaml = Files.readString(Path.of("src/test/resources/test.yml"));
        String off = yaml.replace("  hostname: mx.test.example\n", "  hostname: mx.test.example\n  outboundTls: off\n");
        Run ok = check(TestAppliance.plan("example.test"), "", off);
        assertThat(ok.failure()).as(ok.err()).isEmpty();

        String typo = yaml.replace(
                "  hostname: mx.test.example\n",
                "  hostname: mx.test.example\n  outboundTls: requried\n" + "  bareLineEndings: strip\n"
                        + "  tlsProvider: openssl\n");
        Run bad = check(TestAppliance.plan("example.test"), "", typo);
        assertThat(bad.failure()).containsInstanceOf(ConfigurationProblems.class);
        assertThat(bad.err())
                .contains(
                        "relay.outboundTls: 'requried' is not a TLS level; write opportunistic, required or off",
                        "relay.bareLineEndings: 'strip' is not known; write reject or normalize",
                        "relay.tlsProvider: 'openssl' is not a TLS provider; write auto, native or jdk");
    }

    @Test
    void checkShouldWarnButPassWhenAdminPortListensBeyondLoopback() throws Exception {
        String yaml = Files.readString(Path.of("src/test/resources/test.yml"));
        int admin = yaml.indexOf("adminConnectors:");
        String exposed = yaml.substring(0, admin)
                + yaml.substring(admin).replaceFirst("bindHost: 127.0.0.1", "bindHost: 0.0.0.0");
        Run r = check(TestAppliance.plan("example.test"), "", exposed);
        assertThat(r.failure()).as(r.err()).isEmpty();
        assertThat(r.err())
                .contains(
                        "warning: ",
                        "server.adminConnectors: the admin port listens on 0.0.0.0:0",
                        "set bindHost: 127.0.0.1");

        Run quiet = check(TestAppliance.plan("example.test"), "");
        assertThat(quiet.err()).doesNotContain("adminConnectors");
    }

    @Test
    void checkShouldWarnWhenUsersHashesHaveDifferentCosts() throws Exception {
        String yaml = Files.readString(Path.of("src/test/resources/test.yml"));
        String mixed = yaml.replaceFirst("\\$2a\\$04\\$", Matcher.quoteReplacement("$2a$05$"));
        Run r = check(TestAppliance.plan("example.test"), "", mixed);
        assertThat(r.failure()).as(r.err()).isEmpty();
        assertThat(r.err()).contains("warning: ", "different bcrypt costs [4, 5]", "./mxcutover hash-password");
    }

    @Test
    void fatalConfigurationErrorsShouldMapToExConfig() {
        assertThat(ApplianceApplication.EXIT_CONFIG).isEqualTo(78);
    }
}
