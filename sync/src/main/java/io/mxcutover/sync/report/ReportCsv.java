package io.mxcutover.sync.report;

import io.mxcutover.sync.state.FolderProgress;
import java.io.IOException;
import java.io.Writer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** Writes a report as CSV, one row per mailbox and folder (a mailbox with no folder yet gets one row). */
public final class ReportCsv {
    private ReportCsv() {
    }

    public static void write(SyncReport report, Writer out) throws IOException {
        CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder()
                .setHeader("address", "status", "reason", "source_folder", "target_folder", "messages_copied",
                        "bytes_copied", "open_intents", "failures").get());
        for (MailboxReport m : report.mailboxes()) {
            String reason = m.status().reason().orElse("");
            if (m.folders().isEmpty()) {
                csv.printRecord(m.status().address(), m.status().phase(), reason, "", "", 0, 0, 0, m.failures().size());
            }
            for (FolderProgress f : m.folders()) {
                long failures = m.failures().stream().filter(x -> x.sourceFolder().equals(f.sourceFolder())).count();
                csv.printRecord(m.status().address(), m.status().phase(), reason, f.sourceFolder(), f.targetFolder(),
                        f.done(), f.doneBytes(), f.intents(), failures);
            }
        }
        csv.flush();
    }
}
