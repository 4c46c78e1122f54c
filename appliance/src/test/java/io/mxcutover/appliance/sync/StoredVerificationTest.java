package io.mxcutover.appliance.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mxcutover.appliance.store.Store;
import io.mxcutover.sync.folder.FolderMove;
import io.mxcutover.sync.verify.FolderVerdict;
import io.mxcutover.sync.verify.Missing;
import io.mxcutover.sync.verify.VerifyReport;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A verification is stored with every count the verifier reports (issue 10): what the user deleted on new
 * and the dates new did not keep are columns (the domain's list shows them without the detail), and the
 * detail is the verifier's whole report, with the folder moves.
 */
class StoredVerificationTest {
    static final Instant TAKEN = Instant.parse("2026-11-20T08:00:00Z");

    static VerifyReport report() {
        Missing future = new Missing(
                "INBOX", 7, "<spam@x>", "", 1200, "the new server stored another date (2038-01-19 on legacy)");
        FolderVerdict inbox =
                new FolderVerdict("INBOX", "INBOX", 10, 9, 10, 2, 8, 0, List.of(), List.of(), List.of(future));
        FolderVerdict drafts =
                new FolderVerdict("INBOX.Entwürfe", "Drafts", 3, 5, 3, 0, 3, 0, List.of(), List.of(), List.of());
        FolderMove merged = new FolderMove(
                "INBOX.Entwürfe",
                "Drafts",
                FolderMove.Kind.MERGED,
                "special use \\Drafts: the new server's folder for that role");
        return new VerifyReport(
                "anna@example.org",
                VerifyReport.Verdict.READY,
                "every source message is on the target",
                List.of(inbox, drafts),
                List.of(merged));
    }

    @Test
    void storedVerificationShouldKeepDeletedOnTargetAndDatesNotKeptInItsColumnsAndTheMovesInItsDetail(@TempDir Path dir)
            throws Exception {
        ObjectMapper json = new ObjectMapper();
        VerificationRecords records =
                new VerificationRecords(Store.open(dir.resolve("state.db")).dataSource(), json);
        VerifyReport r = report();

        records.save(
                StoredVerification.of(r, "example.org", TAKEN, TAKEN.plusSeconds(3), "admin", json.valueToTree(r)));

        assertThat(records.ofDomain("example.org")).singleElement().satisfies(v -> {
            assertThat(v.deletedOnTarget()).isEqualTo(2);
            assertThat(v.datesNotKept()).isEqualTo(1);
            assertThat(v.missing()).isZero();
            assertThat(v.mismatched()).isZero();
            assertThat(v.detail()).isNull();
            assertThat(v.fact().clean())
                    .as("a date not kept is a warning, not a failure of the gate")
                    .isTrue();
        });
        JsonNode detail = records.of("anna@example.org").orElseThrow().detail();
        assertThat(detail.path("deletedOnTarget").asLong()).isEqualTo(2);
        assertThat(detail.path("datesNotKept").asLong()).isEqualTo(1);
        assertThat(detail.path("moves").get(0).path("kind").asText()).isEqualTo("MERGED");
        assertThat(detail.path("moves").get(0).path("targetFolder").asText()).isEqualTo("Drafts");
        assertThat(detail.path("folders")
                        .get(0)
                        .path("datesNotKept")
                        .get(0)
                        .path("uid")
                        .asLong())
                .isEqualTo(7);
    }
}
