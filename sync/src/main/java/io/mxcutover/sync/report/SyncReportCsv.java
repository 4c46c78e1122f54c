package io.mxcutover.sync.report;

import io.mxcutover.sync.folder.FolderMove;
import io.mxcutover.sync.state.FolderProgress;
import io.mxcutover.sync.verify.FolderVerdict;
import io.mxcutover.sync.verify.VerifyReport;
import java.io.IOException;
import java.io.Writer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** Writes a report as CSV, one row per mailbox and folder (a mailbox with no folder yet gets one row). */
public final class SyncReportCsv {
    private SyncReportCsv() {}

    public static void write(SyncReport report, Writer out) throws IOException {
        CSVPrinter csv = new CSVPrinter(
                out,
                CSVFormat.DEFAULT
                        .builder()
                        .setHeader(
                                "address",
                                "status",
                                "reason",
                                "source_folder",
                                "target_folder",
                                "messages_copied",
                                "bytes_copied",
                                "open_intents",
                                "failures",
                                "folder_move",
                                "folder_move_reason")
                        .get());
        for (MailboxReport m : report.mailboxes()) {
            String reason = m.status().reason().orElse("");
            if (m.folders().isEmpty()) {
                csv.printRecord(
                        m.status().address(),
                        m.status().phase(),
                        reason,
                        "",
                        "",
                        0,
                        0,
                        0,
                        m.failures().size(),
                        "",
                        "");
            }
            for (FolderProgress f : m.folders()) {
                long failures = m.failures().stream()
                        .filter(x -> x.sourceFolder().equals(f.sourceFolder()))
                        .count();
                csv.printRecord(
                        m.status().address(),
                        m.status().phase(),
                        reason,
                        f.sourceFolder(),
                        f.targetFolder(),
                        f.done(),
                        f.doneBytes(),
                        f.intents(),
                        failures,
                        f.move(),
                        f.moveReason());
            }
        }
        csv.flush();
    }

    /**
     * A verification as CSV, one row per folder: the verdict, counts on both sides, what is missing, what
     * the user deleted on the new server (not copied again), dates the new server did not keep, and how the
     * folder plan maps the folder (renamed or merged, and why).
     */
    public static void write(VerifyReport report, Writer out) throws IOException {
        CSVPrinter csv = new CSVPrinter(
                out,
                CSVFormat.DEFAULT
                        .builder()
                        .setHeader(
                                "address",
                                "verdict",
                                "source_folder",
                                "target_folder",
                                "source_messages",
                                "target_messages",
                                "missing",
                                "content_mismatches",
                                "deleted_on_new",
                                "dates_not_kept",
                                "normalized",
                                "folder_move",
                                "folder_move_reason")
                        .get());
        for (FolderVerdict f : report.folders()) {
            FolderMove move = report.moves().stream()
                    .filter(m -> m.sourceFolder().equals(f.sourceFolder()))
                    .findFirst()
                    .orElse(null);
            csv.printRecord(
                    report.address(),
                    report.verdict(),
                    f.sourceFolder(),
                    f.targetFolder(),
                    f.sourceMessages(),
                    f.targetMessages(),
                    f.missing().size(),
                    f.hashMismatches(),
                    f.deletedOnTarget(),
                    f.datesNotKept().size(),
                    f.normalized().size(),
                    move == null ? "SAME" : move.kind(),
                    move == null ? "" : move.reason());
        }
        if (report.folders().isEmpty()) {
            csv.printRecord(report.address(), report.verdict(), "", "", 0, 0, 0, 0, 0, 0, 0, "", report.reason());
        }
        csv.flush();
    }
}
