package io.mxcutover.appliance.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PlanReaderTest {
    static final Path FILE = Path.of("plan.yml");

    static final String VALID = """
            window:
              catchUp: 72h
              quietPeriod: 30m
            domains:
              - name: Example.COM
                legacy:
                  smtp: [ "mail.legacy.example:25", "10.0.0.2:2525" ]
                  imap: "imaps://imap.legacy.example"
                  mx: [ mx.legacy.example. ]
                  spf: [ "include:spf.legacy.example" ]
                new:
                  smtp: [ "in.new.example:25" ]
                  imap: "imap://imap.new.example:1143"
                  mx: [ mx1.new.example, mx2.new.example ]
                  spf: [ "include:spf.new.example", "ip4:192.0.2.0/24" ]
                recipients: [ alice, Bob ]
                requireLegacySpfGone: true
              - name: second.example
                includeSubdomains: true
                softBounce: false
                legacy: { smtp: [ "old:25" ] }
                new: { smtp: [ "new:25" ], mx: [ mx.new.example ] }
            """;

    static PlanReader.Result read(String text) {
        return PlanReader.read(FILE, text, "fp");
    }

    @Test
    void readerShouldBuildPlanWhenFileIsValid() {
        PlanReader.Result r = read(VALID);
        assertThat(r.problems()).isEmpty();
        MigrationPlan plan = r.plan().orElseThrow();
        assertThat(plan.catchUpWindow()).isEqualTo(Duration.ofHours(72));
        assertThat(plan.quietPeriod()).isEqualTo(Duration.ofMinutes(30));
        assertThat(plan.domainNames()).containsExactly("example.com", "second.example");
        DomainPlan d = plan.domain("EXAMPLE.com").orElseThrow();
        assertThat(d.legacy().smtp())
                .containsExactly(new PlanHostPort("mail.legacy.example", 25), new PlanHostPort("10.0.0.2", 2525));
        assertThat(d.legacy().imap()).contains(new PlanImapUrl("imap.legacy.example", 993, true));
        assertThat(d.target().imap()).contains(new PlanImapUrl("imap.new.example", 1143, false));
        assertThat(d.legacy().mx()).containsExactly("mx.legacy.example");
        assertThat(d.target().mx()).containsExactly("mx1.new.example", "mx2.new.example");
        assertThat(d.recipients()).containsExactly("alice", "bob");
        assertThat(d.softBounce()).isTrue();
        assertThat(d.includeSubdomains()).isFalse();
        DomainPlan second = plan.domain("second.example").orElseThrow();
        assertThat(second.includeSubdomains()).isTrue();
        assertThat(second.softBounce()).isFalse();
        assertThat(second.legacy().imap()).isEmpty();
        assertThat(d.legacy().spf()).containsExactly("include:spf.legacy.example");
        assertThat(d.target().spf()).containsExactly("include:spf.new.example", "ip4:192.0.2.0/24");
        assertThat(d.requireLegacySpfGone()).isTrue();
        assertThat(second.target().spf()).isEmpty();
        assertThat(second.requireLegacySpfGone()).isFalse();
    }

    @Test
    void readerShouldUseDefaultWindowWhenNotGiven() {
        MigrationPlan plan =
                read(VALID.substring(VALID.indexOf("domains:"))).plan().orElseThrow();
        assertThat(plan.catchUpWindow()).isEqualTo(Duration.ofHours(48));
        assertThat(plan.quietPeriod()).isEqualTo(Duration.ofHours(6));
    }

    static Stream<Arguments> broken() {
        return Stream.of(
                Arguments.of(
                        "smtp: [ \"mail.legacy.example:25\", \"10.0.0.2:2525\" ]",
                        "smtpp: [ \"a:25\" ]",
                        "domains[0].legacy.smtpp",
                        7,
                        "did you mean 'smtp'?"),
                Arguments.of("catchUp: 72h", "catchUp: two days", "window.catchUp", 2, "not a duration"),
                Arguments.of("catchUp: 72h", "catchup: 72h", "window.catchup", 2, "did you mean 'catchUp'?"),
                Arguments.of("name: Example.COM", "name: exa mple.com", "domains[0].name", 5, "not a domain name"),
                Arguments.of("name: Example.COM", "name: second.example", "domains[1].name", 18, "listed twice"),
                Arguments.of("\"10.0.0.2:2525\"", "\"10.0.0.2\"", "domains[0].legacy.smtp[1]", 7, "not host:port"),
                Arguments.of(
                        "\"10.0.0.2:2525\"", "\"10.0.0.2:99999\"", "domains[0].legacy.smtp[1]", 7, "not in 1-65535"),
                Arguments.of(
                        "\"imaps://imap.legacy.example\"",
                        "\"pop3://x\"",
                        "domains[0].legacy.imap",
                        8,
                        "imap:// or imaps://"),
                Arguments.of(
                        "\"imaps://imap.legacy.example\"",
                        "\"imaps://imap.legacy.example?trust=any\"",
                        "domains[0].legacy.imap",
                        8,
                        "which the appliance ignores; remove it (to trust a self-signed"
                                + " certificate set sync.trustAnyCertificate: true"),
                Arguments.of(
                        "\"imaps://imap.legacy.example\"",
                        "\"imaps://admin:secret-pw@imap.legacy.example\"",
                        "domains[0].legacy.imap",
                        8,
                        "has a user name in it"),
                Arguments.of(
                        "\"imaps://imap.legacy.example\"",
                        "\"imaps://imap.legacy.example/INBOX\"",
                        "domains[0].legacy.imap",
                        8,
                        "has a path"),
                Arguments.of(
                        "mx: [ mx1.new.example, mx2.new.example ]",
                        "mx: [ ]",
                        "domains[0].new.mx",
                        14,
                        "moving to are missing"),
                Arguments.of(
                        "mx: [ mx1.new.example, mx2.new.example ]",
                        "mx: [ \"mx 1\" ]",
                        "domains[0].new.mx[0]",
                        14,
                        "not a host name"),
                Arguments.of(
                        "recipients: [ alice, Bob ]",
                        "recipients: [ \"a@b\" ]",
                        "domains[0].recipients[0]",
                        16,
                        "not a local part"),
                Arguments.of(
                        "softBounce: false", "softBounce: maybe", "domains[1].softBounce", 20, "not true or false"),
                Arguments.of(
                        "imap: \"imap://imap.new.example:1143\"",
                        "imap: \"${file:UTF-8:/etc/passwd}\"",
                        "domains[0].new.imap",
                        13,
                        "only ${env:NAME} is allowed"),
                Arguments.of(
                        "imap: \"imap://imap.new.example:1143\"",
                        "imap: \"${env:MXCUTOVER_SURELY_UNSET_VAR}\"",
                        "domains[0].new.imap",
                        13,
                        "cannot be resolved"),
                Arguments.of(
                        "    new: { smtp: [ \"new:25\" ], mx: [ mx.new.example ] }\n",
                        "",
                        "domains[1].new",
                        18,
                        "'new' server is missing"),
                Arguments.of("window:", "windw:", "windw", 1, "did you mean 'window'?"),
                Arguments.of(
                        "\"ip4:192.0.2.0/24\"",
                        "\"include spf.new.example\"",
                        "domains[0].new.spf[1]",
                        15,
                        "one mechanism per entry, quoted"),
                Arguments.of(
                        "\"ip4:192.0.2.0/24\"",
                        "\"v=spf1 include:spf.new.example -all\"",
                        "domains[0].new.spf[1]",
                        15,
                        "is a whole SPF record"),
                Arguments.of(
                        "\"include:spf.legacy.example\"",
                        "\"includ:spf.legacy.example\"",
                        "domains[0].legacy.spf[0]",
                        10,
                        "is not an SPF mechanism"),
                Arguments.of(
                        "\"include:spf.legacy.example\"",
                        "\"include:spf.new.example\"",
                        "domains[0].legacy.spf[0]",
                        10,
                        "remove it from one of the two lists"),
                Arguments.of(
                        "      spf: [ \"include:spf.legacy.example\" ]\n",
                        "",
                        "domains[0].requireLegacySpfGone",
                        16,
                        "nothing to check"),
                Arguments.of(
                        "requireLegacySpfGone: true",
                        "requireLegacySpfGone: yes please",
                        "domains[0].requireLegacySpfGone",
                        17,
                        "not true or false"),
                Arguments.of(
                        "requireLegacySpfGone: true",
                        "requireOldSpfGone: true",
                        "domains[0].requireOldSpfGone",
                        17,
                        "allowed here:"));
    }

    @ParameterizedTest(name = "{2}: {4}")
    @MethodSource("broken")
    void readerShouldNameKeyLineAndFixWhenPlanIsBroken(String from, String to, String key, int line, String phrase) {
        assertThat(VALID).contains(from);
        PlanReader.Result r = read(VALID.replace(from, to));
        assertThat(r.ok()).isFalse();
        assertThat(r.problems()).anySatisfy(p -> {
            assertThat(p.key()).isEqualTo(key);
            assertThat(p.line()).isEqualTo(line);
            assertThat(p.toString()).startsWith("plan.yml:" + line + ": " + key).contains(phrase);
        });
    }

    static final String RELAY_FIRST = """
            domains:
              - name: example.com
                flow: relay-first
                appliance:
                  mx: [ mx.appliance.example ]
                legacy:
                  smtp: [ "mail.legacy.example:25" ]
                  mx: [ mx.legacy.example ]
                new:
                  smtp: [ "in.new.example:25" ]
                  mx: [ mx1.new.example ]
            """;

    @ParameterizedTest(name = "[{index}] {0} -> {1}, window on {2}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', textBlock = """
            flow: relay-first                         | RELAY_FIRST       | mx.appliance.example
            flow: Relay-First                         | RELAY_FIRST       | mx.appliance.example
            ''                                        | RELAY_FIRST       | mx.appliance.example
            """)
    void readerShouldAnchorWindowOnApplianceMxWhenRelayFirst(String flowLine, MxFlow flow, String windowMx) {
        PlanReader.Result r = read(RELAY_FIRST.replace("flow: relay-first", flowLine));

        assertThat(r.problems()).isEmpty();
        DomainPlan d = r.plan().orElseThrow().domain("example.com").orElseThrow();
        assertThat(d.flow()).isEqualTo(flow);
        assertThat(d.applianceMx()).containsExactly("mx.appliance.example");
        assertThat(d.windowMx()).containsExactly(windowMx);
        assertThat(d.target().mx()).containsExactly("mx1.new.example");
    }

    @Test
    void readerShouldDefaultToSwitchAtGoLiveWhenNoFlowAndNoApplianceMx() {
        DomainPlan d = read(VALID).plan().orElseThrow().domain("example.com").orElseThrow();

        assertThat(d.flow()).isEqualTo(MxFlow.SWITCH_AT_GO_LIVE);
        assertThat(d.applianceMx()).isEmpty();
        assertThat(d.windowMx()).containsExactly("mx1.new.example", "mx2.new.example");
    }

    static Stream<Arguments> brokenFlow() {
        return Stream.of(
                Arguments.of(
                        "flow: relay-first", "flow: relay first", "domains[0].flow", 3, "write 'flow: relay-first'"),
                Arguments.of(
                        "    appliance:\n      mx: [ mx.appliance.example ]\n",
                        "",
                        "domains[0].flow",
                        3,
                        "add 'appliance: { mx: [ mx.appliance.example ] }'"),
                Arguments.of(
                        "flow: relay-first",
                        "flow: switch-at-go-live",
                        "domains[0].appliance",
                        4,
                        "only used with flow: relay-first"),
                Arguments.of(
                        "mx: [ mx1.new.example ]",
                        "mx: [ mx1.new.example, mx.appliance.example ]",
                        "domains[0].new.mx[1]",
                        11,
                        "is the appliance's own host"),
                Arguments.of(
                        "mx: [ mx1.new.example ]",
                        "mx: [ mx.legacy.example ]",
                        "domains[0].new.mx[0]",
                        11,
                        "also a legacy MX host"),
                Arguments.of(
                        "mx: [ mx.appliance.example ]",
                        "mx: [ mx.legacy.example ]",
                        "domains[0].appliance.mx[0]",
                        5,
                        "also a legacy MX host"),
                Arguments.of(
                        "    appliance:\n",
                        "    applaince:\n",
                        "domains[0].applaince",
                        4,
                        "did you mean 'appliance'?"));
    }

    /** The end-to-end test's old plan (the appliance's host in new.mx) is refused once appliance.mx names it. */
    @ParameterizedTest(name = "{2}: {4}")
    @MethodSource("brokenFlow")
    void readerShouldNameKeyLineAndFixWhenMxContradictsFlow(
            String from, String to, String key, int line, String phrase) {
        assertThat(RELAY_FIRST).contains(from);
        PlanReader.Result r = read(RELAY_FIRST.replace(from, to));
        assertThat(r.ok()).isFalse();
        assertThat(r.problems()).anySatisfy(p -> {
            assertThat(p.key()).isEqualTo(key);
            assertThat(p.line()).isEqualTo(line);
            assertThat(p.toString()).startsWith("plan.yml:" + line + ": " + key).contains(phrase);
        });
    }

    /** The end-to-end test's old plan: the appliance's own host (relay.hostname) as the new provider's MX. */
    @ParameterizedTest(name = "[{index}] {0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', textBlock = """
            mx: [ mx1.new.example, mx2.new.example ] | mx: [ mx.appliance.example ] | write 'flow: relay-first' with 'appliance: { mx: [ mx.appliance.example ] }'
            mx: [ mx1.new.example, mx2.new.example ] | mx: [ mx1.new.example, MX.Appliance.Example. ] | this appliance's own host name
            """)
    void readerShouldRefuseOwnHostAsNewMxWhenSwitchAtGoLive(String from, String to, String phrase) {
        PlanReader.Result r =
                PlanReader.read(FILE, VALID.replace(from, to), "fp", java.util.Set.of("mx.appliance.example"));

        assertThat(r.ok()).isFalse();
        assertThat(r.problems()).anySatisfy(p -> {
            assertThat(p.key()).startsWith("domains[0].new.mx[");
            assertThat(p.line()).isEqualTo(14);
            assertThat(p.toString()).contains(phrase);
        });
        assertThat(PlanReader.read(FILE, VALID, "fp", java.util.Set.of("mx.appliance.example"))
                        .problems())
                .isEmpty();
    }

    @Test
    void readerShouldNotRepeatAPasswordWrittenIntoAnImapUrl() {
        PlanReader.Result r = read(
                VALID.replace("\"imaps://imap.legacy.example\"", "\"imaps://admin:secret-pw@imap.legacy.example\""));
        assertThat(r.ok()).isFalse();
        assertThat(r.problems())
                .isNotEmpty()
                .allSatisfy(p -> assertThat(p.toString()).doesNotContain("secret-pw"));
    }

    @Test
    void readerShouldReportEveryProblemWhenSeveralAreBroken() {
        String text = VALID.replace("smtpp", "x")
                .replace("catchUp: 72h", "catchUp: soon")
                .replace("name: Example.COM", "name: -bad-");
        assertThat(read(text).problems()).hasSize(2);
        assertThat(read(text.replace("\"10.0.0.2:2525\"", "\"nope\"")).problems())
                .hasSize(3);
    }

    @Test
    void readerShouldGiveLineWhenYamlSyntaxIsBroken() {
        PlanReader.Result r = read("domains:\n  - name: a.example\n   legacy: [\n");
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.problem()).startsWith("YAML syntax error");
            assertThat(p.line()).isGreaterThan(1);
        });
    }

    @Test
    void readerShouldInterpolateEnvironmentVariables() {
        String home = System.getenv().keySet().stream()
                .filter(k -> k.matches("[A-Z_]+"))
                .findFirst()
                .orElseThrow();
        assertThat(PlanReader.envOnlyInterpolator().interpolate("${env:" + home + "}"))
                .isEqualTo(System.getenv(home));
        assertThat(PlanReader.envOnlyInterpolator().interpolate("${sys:user.home}"))
                .isEqualTo("${sys:user.home}");
    }

    @Test
    void readerShouldRefuseEmptyPlan() {
        assertThat(read("window:\n  catchUp: 48h\n").problems())
                .singleElement()
                .satisfies(p -> assertThat(p.problem()).contains("no domain"));
    }
}
