package io.mxcutover.relay.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitTest {

    private static final SpoolId ID = SpoolId.of("2ABCDEFGH00000AXYZ");

    @TempDir
    Path dir;

    @Test
    void ticketEarlyShouldSyncTheDirectoryOnTheBackgroundThreadWhileTheCallerForcesItsFile() throws Exception {
        List<String> syncThreads = new CopyOnWriteArrayList<>();
        try (GroupCommit commit = new GroupCommit((step, id) -> {
            if (step == SpoolFaults.Step.DIRECTORY_SYNC) {
                syncThreads.add(Thread.currentThread().getName());
            }
        })) {
            long ticket = commit.ticketEarly(dir, ID);
            await().atMost(Duration.ofSeconds(10)).until(() -> commit.roundCount() == 1);
            commit.await(dir, ticket, ID); // already covered: returns without a second fsync
            assertThat(commit.roundCount()).isEqualTo(1);
            assertThat(syncThreads).containsExactly("spool-directory-sync");
        }
    }

    @Test
    void aFailedBackgroundRoundShouldFailTheTicketsItCovered() throws Exception {
        try (GroupCommit commit = new GroupCommit((step, id) -> {
            if (step == SpoolFaults.Step.DIRECTORY_SYNC) {
                throw new IOException("Input/output error");
            }
        })) {
            long ticket = commit.ticketEarly(dir, ID);
            assertThatThrownBy(() -> commit.await(dir, ticket, ID))
                    .isInstanceOf(SpoolException.class)
                    .hasMessageContaining("failed for queue id " + ID);
        }
    }
}
