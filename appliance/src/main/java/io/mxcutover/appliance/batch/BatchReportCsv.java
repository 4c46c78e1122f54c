package io.mxcutover.appliance.batch;

import io.mxcutover.appliance.cutover.FinalPass;
import io.mxcutover.sync.report.MailboxReport;
import java.io.IOException;
import java.io.Writer;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** A batch's report as CSV: one row per mailbox, with the batch's state and the last final pass. */
public final class BatchReportCsv {
    private BatchReportCsv() {}

    public static void write(BatchReport report, Writer out) throws IOException {
        CSVPrinter csv = new CSVPrinter(
                out,
                CSVFormat.DEFAULT
                        .builder()
                        .setHeader(
                                "domain",
                                "batch",
                                "batch_state",
                                "address",
                                "status",
                                "messages_copied",
                                "bytes_copied",
                                "failures",
                                "reason",
                                "final_pass_additional_messages",
                                "final_pass_error")
                        .get());
        Map<String, FinalPass> passes = new HashMap<>();
        report.finalPass().forEach(f -> passes.put(f.mailbox(), f));
        for (MailboxReport m : report.mailboxes()) {
            FinalPass f = passes.get(m.status().address());
            csv.printRecord(
                    report.domain(),
                    report.name(),
                    report.state(),
                    m.status().address(),
                    m.status().phase(),
                    m.messagesCopied(),
                    m.bytesCopied(),
                    m.failures().size(),
                    m.status().reason().orElse(""),
                    f == null ? "" : f.additionalMessages(),
                    f == null ? "" : f.error().orElse(""));
        }
        csv.flush();
    }
}
