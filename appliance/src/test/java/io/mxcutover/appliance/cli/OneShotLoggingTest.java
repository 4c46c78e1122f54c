package io.mxcutover.appliance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OneShotLoggingTest {
    /**
     * In a fresh JVM (the set-up replaces the JVM's logging): WARN and up of SLF4J and of JDK logging (Angus Mail)
     * on standard output, one line each in Dropwizard's shape, a stack trace after its line; INFO and DEBUG nowhere.
     */
    @Test
    void shouldPrintWarningsAndErrorsOnlyOneLineEachWithTheirStackTrace() throws Exception {
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Child.class.getName())
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out + err).isZero();

        List<String> lines = out.lines().toList();
        assertThat(lines.get(0))
                .matches(
                        "WARN  \\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}] mxcutover.test: mailbox a@b.example:"
                                + " folder 'Entwürfe' skipped");
        assertThat(lines.get(1)).startsWith("ERROR [").endsWith("] mxcutover.test: it failed");
        assertThat(lines.get(2)).isEqualTo("java.lang.IllegalStateException: disk full");
        assertThat(lines.get(3)).contains("at " + Child.class.getName() + ".main");
        assertThat(out).contains("] org.eclipse.angus.mail.imap: a JDK-logging warning");
        assertThat(out).doesNotContain("not shown", "DEBUG", "INFO");
        assertThat(err).doesNotContain("not shown");
    }

    /** The child: the one-shot set-up, then a line of each level through SLF4J and JDK logging. */
    public static final class Child {
        public static void main(String[] args) {
            OneShotLogging.setUp();
            org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("mxcutover.test");
            log.debug("not shown: debug");
            log.info("not shown: info");
            log.warn("mailbox {}: folder '{}' skipped", "a@b.example", "Entwürfe");
            log.error("it failed", new IllegalStateException("disk full"));
            java.util.logging.Logger jul = java.util.logging.Logger.getLogger("org.eclipse.angus.mail.imap");
            jul.info("not shown: JDK info");
            jul.warning("a JDK-logging warning");
        }
    }
}
