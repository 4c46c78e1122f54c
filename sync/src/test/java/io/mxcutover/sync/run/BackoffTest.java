package io.mxcutover.sync.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.sync.imap.ImapException;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {
    /** attempts | server text | expected delay seconds (base 5 s, max 600 s). */
    @ParameterizedTest(name = "attempt {0} ''{1}'' -> {2}s")
    @CsvSource(
            delimiter = '|',
            value = {
                "1  | -                                                        | 5",
                "2  | -                                                        | 10",
                "3  | -                                                        | 20",
                "8  | -                                                        | 600",
                "40 | -                                                        | 600",
                "1  | NO Request is throttled. Suggested Backoff Time: 30000 milliseconds | 30",
                "5  | NO Request is throttled. Suggested Backoff Time: 1000 milliseconds  | 80",
                "1  | NO [THROTTLED] backoff time: 45 seconds                  | 45",
            })
    void backoffShouldDoubleCapAndHonourServerHintWhenRetrying(int attempts, String text, long seconds) {
        Backoff b = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(10));
        assertThat(b.delay(attempts, text.equals("-") ? null : text)).isEqualTo(Duration.ofSeconds(seconds));
    }

    /** kind | operation | scope | retry */
    @ParameterizedTest(name = "{0} during {1} -> {2} {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "AUTHENTICATION | LOGIN      | MAILBOX | AFTER_RECONFIGURATION",
                "THROTTLED      | APPEND_ONE | SERVER  | LATER",
                "CONNECTION     | FOLDER     | MAILBOX | LATER",
                "REFUSED        | APPEND_ONE | MESSAGE | LATER",
                "REFUSED        | FOLDER     | FOLDER  | LATER",
                "PROTOCOL       | APPEND_ONE | MESSAGE | LATER",
                "PROTOCOL       | OTHER      | FOLDER  | LATER",
            })
    void policyShouldScopeFailuresWhenClassifying(
            ImapException.Kind kind,
            SyncFailurePolicy.Operation op,
            SyncFailurePolicy.Scope scope,
            SyncFailurePolicy.Retry retry) {
        SyncFailurePolicy.Disposition d = SyncFailurePolicy.classify(new ImapException(kind, "x", "", null), op);
        assertThat(d).isEqualTo(new SyncFailurePolicy.Disposition(scope, retry));
    }
}
