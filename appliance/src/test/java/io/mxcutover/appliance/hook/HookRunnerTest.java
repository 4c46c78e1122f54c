package io.mxcutover.appliance.hook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes: a hook's environment, exit code, output, and the kill at its timeout. */
class HookRunnerTest {
    private static final HookContext CONTEXT = new HookContext(
            HookEvent.MAILBOX_HISTORY_COPIED,
            "example.org",
            Optional.of("anna@example.org"),
            Optional.of("pilot"),
            "3 message(s) copied",
            Instant.parse("2026-12-05T10:00:00Z"));

    static Path script(Path dir, String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        assertThat(p.toFile().setExecutable(true)).isTrue();
        return p;
    }

    @Test
    void runShouldHandPasswordOnStdinAndNeverInEnvironmentOrArgumentsWhenSetPasswordHookRuns(@TempDir Path dir)
            throws Exception {
        Path hook = script(
                dir,
                "set-password.sh",
                "read -r pw; printf '%s' \"$pw\" > \"$1/stdin\"; env > \"$1/env\"; echo \"$0 $*\" > \"$1/args\"");
        HookContext context = new HookContext(
                HookEvent.SET_PASSWORD,
                "example.org",
                Optional.of("anna@example.org"),
                Optional.empty(),
                "the user's password is on stdin",
                Instant.parse("2026-12-05T10:00:00Z"));
        HookRun r = new HookRunner(Clock.systemUTC(), dir.resolve("tmp"))
                .run(
                        "set-password",
                        List.of(hook.toString(), dir.toString()),
                        null,
                        Duration.ofSeconds(10),
                        context,
                        "s3cret-Old-pw\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(r.outcome()).isEqualTo(HookRun.Outcome.OK);
        assertThat(Files.readString(dir.resolve("stdin"))).isEqualTo("s3cret-Old-pw");
        assertThat(Files.readString(dir.resolve("env")))
                .contains("MXCUTOVER_EVENT=set-password", "MXCUTOVER_MAILBOX=anna@example.org")
                .doesNotContain("s3cret");
        assertThat(Files.readString(dir.resolve("args"))).doesNotContain("s3cret");
        assertThat(r.toString() + r.output() + r.context()).doesNotContain("s3cret");
    }

    @Test
    void runShouldPassOnlyPathLangAndEventVariablesWhenHookRuns(@TempDir Path dir) throws Exception {
        Path hook = script(dir, "env.sh", "env | sort; echo \"args: $*\"");
        HookRun r = new HookRunner(Clock.systemUTC(), dir.resolve("tmp"))
                .run("env", List.of(hook.toString(), "one", "$HOME"), null, Duration.ofSeconds(10), CONTEXT);
        assertThat(r.outcome()).isEqualTo(HookRun.Outcome.OK);
        assertThat(r.exitCode()).hasValue(0);
        List<String> names = r.output()
                .lines()
                .filter(l -> l.contains("=") && !l.startsWith("args:"))
                .map(l -> l.substring(0, l.indexOf('=')))
                .toList();
        // /bin/sh itself may add PWD (and SHLVL); nothing of the test JVM's environment gets through.
        assertThat(names).allSatisfy(n -> assertThat(n).matches("PATH|LANG|PWD|SHLVL|_|MXCUTOVER_[A-Z]+"));
        assertThat(r.output())
                .contains(
                        "MXCUTOVER_EVENT=mailbox-history-copied",
                        "MXCUTOVER_DOMAIN=example.org",
                        "MXCUTOVER_MAILBOX=anna@example.org",
                        "MXCUTOVER_BATCH=pilot",
                        "MXCUTOVER_DETAIL=3 message(s) copied",
                        "MXCUTOVER_AT=2026-12-05T10:00:00Z");
        // No shell between the appliance and the hook: "$HOME" arrives as written.
        assertThat(r.output()).contains("args: one $HOME");
        try (var left = Files.list(dir.resolve("tmp"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void runShouldReportExitCodeAndOutputWhenHookFails(@TempDir Path dir) throws Exception {
        Path hook = script(dir, "fail.sh", "echo 'ticket system down' >&2; exit 3");
        HookRun r = new HookRunner(Clock.systemUTC(), dir)
                .run("ticket", List.of(hook.toString()), null, Duration.ofSeconds(10), CONTEXT);
        assertThat(r.outcome()).isEqualTo(HookRun.Outcome.FAILED);
        assertThat(r.exitCode()).hasValue(3);
        assertThat(r.output()).isEqualTo("ticket system down");
        assertThat(r.verdict()).isEqualTo("failed with exit 3");
    }

    @Test
    void runShouldKillHookAndWhatItStartedWhenTimeoutPasses(@TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("child.pid");
        Path hook = script(dir, "hang.sh", "echo started; sleep 300 & echo $! > " + pidFile + "; wait");
        long t0 = System.nanoTime();
        HookRun r = new HookRunner(Clock.systemUTC(), dir)
                .run("hang", List.of(hook.toString()), null, Duration.ofMillis(500), CONTEXT);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThat(r.outcome()).isEqualTo(HookRun.Outcome.TIMED_OUT);
        assertThat(r.exitCode()).isEmpty();
        assertThat(r.output()).isEqualTo("started");
        long child = Long.parseLong(Files.readString(pidFile).strip());
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
    }

    @Test
    void runShouldSayWhyWhenProgramCannotStart(@TempDir Path dir) {
        HookRun r = new HookRunner(Clock.systemUTC(), dir)
                .run("missing", List.of(dir.resolve("nope").toString()), null, Duration.ofSeconds(1), CONTEXT);
        assertThat(r.outcome()).isEqualTo(HookRun.Outcome.NOT_STARTED);
        assertThat(r.verdict()).startsWith("could not start: ").contains("nope");
    }

    @Test
    void runShouldKeepOnlyTheStartOfALongOutputWhenHookIsChatty(@TempDir Path dir) throws Exception {
        Path hook = script(dir, "chatty.sh", "i=0; while [ $i -lt 2000 ]; do echo line $i; i=$((i+1)); done");
        HookRun r = new HookRunner(Clock.systemUTC(), dir)
                .run("chatty", List.of(hook.toString()), null, Duration.ofSeconds(10), CONTEXT);
        assertThat(r.outcome()).isEqualTo(HookRun.Outcome.OK);
        assertThat(r.output()).startsWith("line 0").endsWith("(output cut at " + HookRunner.OUTPUT_LIMIT + " bytes)");
    }
}
