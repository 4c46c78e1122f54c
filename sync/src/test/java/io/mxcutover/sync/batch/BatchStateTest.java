package io.mxcutover.sync.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.sync.batch.BatchState.Command;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BatchStateTest {
    @ParameterizedTest(name = "{0} + {1} -> {2} ({3})")
    @CsvSource({
        // from,     command,  to,        what
        "NEW,       START,    STARTED,   changed",
        "NEW,       PAUSE,    NEW,       refused",
        "NEW,       RESUME,   NEW,       refused",
        "NEW,       COMPLETE, NEW,       refused",
        "STARTED,   START,    STARTED,   same",
        "STARTED,   PAUSE,    PAUSED,    changed",
        "STARTED,   RESUME,   STARTED,   same",
        "STARTED,   COMPLETE, COMPLETED, changed",
        "PAUSED,    START,    PAUSED,    refused",
        "PAUSED,    PAUSE,    PAUSED,    same",
        "PAUSED,    RESUME,   STARTED,   changed",
        "PAUSED,    COMPLETE, COMPLETED, changed",
        "COMPLETED, START,    COMPLETED, refused",
        "COMPLETED, PAUSE,    COMPLETED, refused",
        "COMPLETED, RESUME,   COMPLETED, refused",
        "COMPLETED, COMPLETE, COMPLETED, same",
    })
    void applyShouldMoveOnlyWhereTheCommandMakesSenseWhenAdminActs(
            BatchState from, Command command, BatchState to, String what) {
        BatchState.Outcome o = from.apply(command);
        assertThat(o.to()).isEqualTo(to);
        assertThat(o.changed()).isEqualTo(what.equals("changed"));
        assertThat(o.refused()).isEqualTo(what.equals("refused"));
        assertThat(o.reason().isEmpty()).isEqualTo(what.equals("changed"));
        assertThat(o.finalPass()).isEqualTo(command == Command.COMPLETE && !what.equals("refused"));
    }

    @ParameterizedTest(name = "{0}: copies {1}, started {2}")
    @CsvSource({
        "NEW,       false, false",
        "STARTED,   true,  true",
        "PAUSED,    false, true",
        "COMPLETED, true,  true",
    })
    void stateShouldSayWhetherMailboxesAreCopiedAndJudgedWhenAsked(BatchState state, boolean copies, boolean started) {
        assertThat(state.copies()).isEqualTo(copies);
        assertThat(state.started()).isEqualTo(started);
    }
}
