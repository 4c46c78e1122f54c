package io.mxcutover.appliance.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring examples in {@code conf/}: the alert rules pass {@code promtool check rules} and their unit
 * tests ({@code promtool test rules}), the Grafana dashboard is JSON, and every {@code mxcutover_} metric
 * either of them names is one {@code docs/reference/metrics.md} documents (so a renamed metric breaks the
 * example here, not in an admin's Prometheus). promtool comes from Debian's {@code prometheus} package, which
 * {@code it/servers.sh install} installs: without it this test fails, it does not skip.
 */
class MonitoringExamplesIT {
    static final Path REPO = Path.of(System.getProperty("mxcutover.repo", ".."));
    static final Path RULES = REPO.resolve("conf/prometheus/mxcutover-alerts.yml");
    static final Path RULE_TESTS = REPO.resolve("conf/prometheus/mxcutover-alerts.test.yml");
    static final Path DASHBOARD = REPO.resolve("conf/grafana/mxcutover-dashboard.json");
    static final Pattern METRIC = Pattern.compile("\\bmxcutover_[a-z0-9_]+");

    @Test
    void alertRulesShouldPassPromtoolCheckAndTheirUnitTests(@TempDir Path dir) throws Exception {
        String promtool = promtool().toString();
        Result check = run(dir, promtool, "check", "rules", RULES.toString());
        assertThat(check.exit()).as("promtool check rules:%n%s", check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS");
        Result tests = run(dir, promtool, "test", "rules", RULE_TESTS.toString());
        assertThat(tests.exit()).as("promtool test rules:%n%s", tests.output()).isZero();
    }

    @Test
    void examplesShouldNameOnlyDocumentedMetrics() throws Exception {
        String reference = Files.readString(REPO.resolve("docs/reference/metrics.md"));
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<String> exprs = new ArrayList<>();
        dashboard.findValues("expr").forEach(e -> exprs.add(e.asText()));
        assertThat(exprs).as("the dashboard's queries").hasSizeGreaterThan(10);
        exprs.add(Files.readString(RULES));
        TreeSet<String> named = new TreeSet<>();
        for (String e : exprs) {
            Matcher m = METRIC.matcher(e);
            while (m.find()) {
                named.add(m.group().replaceAll("_(bucket|count|sum)$", ""));
            }
        }
        assertThat(named).hasSizeGreaterThan(15);
        for (String metric : named) {
            assertThat(reference)
                    .as("docs/reference/metrics.md documents %s", metric)
                    .contains("`" + metric + "`");
        }
    }

    /** promtool from the PATH, else Debian's place; missing is a failure (it/servers.sh install brings it). */
    static Path promtool() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "promtool"))) {
                return Path.of(d, "promtool");
            }
        }
        Path usual = Path.of("/usr/bin/promtool");
        assertThat(usual)
                .as("promtool (Debian package prometheus) is missing: run it/servers.sh install")
                .isExecutable();
        return usual;
    }

    record Result(int exit, String output) {}

    static Result run(Path dir, String... command) throws Exception {
        Path out = dir.resolve("promtool-" + UUID.randomUUID() + ".out");
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS))
                .as("%s ended", List.of(command))
                .isTrue();
        return new Result(p.exitValue(), Files.readString(out));
    }
}
