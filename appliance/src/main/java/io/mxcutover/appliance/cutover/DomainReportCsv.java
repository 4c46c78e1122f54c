package io.mxcutover.appliance.cutover;

import io.mxcutover.appliance.facts.MailboxProgress;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A domain report as CSV, one row per mailbox, for a spreadsheet: verification (history copied, missing
 * on new) and what the final pass at cutover copied. Totals stay in the JSON report, except the history
 * copy's estimate and actual duration (the domain's, repeated on each row; empty when unknown), so the
 * spreadsheet shows them side by side.
 */
final class DomainReportCsv {
    static final String[] HEADER = {
        "domain",
        "mailbox",
        "history_copied",
        "missing_on_new",
        "final_pass_additional",
        "final_pass_error",
        "phase",
        "complete",
        "estimated_copy_seconds",
        "actual_copy_seconds"
    };

    private DomainReportCsv() {}

    static String write(DomainReport report) {
        Map<String, FinalPass> passes = report.finalPass().stream()
                .collect(Collectors.toMap(FinalPass::mailbox, Function.identity(), (a, b) -> b));
        String estimated = report.copyTiming()
                .map(t -> String.valueOf(t.estimatedSeconds()))
                .orElse("");
        String actual = report.copyTiming()
                .flatMap(CopyTiming::actualSeconds)
                .map(String::valueOf)
                .orElse("");
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(
                out, CSVFormat.DEFAULT.builder().setHeader(HEADER).get())) {
            for (MailboxProgress m : report.mailboxes()) {
                FinalPass pass = passes.remove(m.address());
                csv.printRecord(
                        report.domain(),
                        m.address(),
                        m.historyCopied(),
                        m.missingOnNew().isPresent() ? m.missingOnNew().getAsLong() : "",
                        pass == null ? "" : pass.additionalMessages(),
                        pass == null ? "" : pass.error().orElse(""),
                        report.phase(),
                        report.complete(),
                        estimated,
                        actual);
            }
            // A mailbox the final pass saw but the sync no longer lists still belongs in the report.
            for (FinalPass pass : passes.values()) {
                csv.printRecord(
                        report.domain(),
                        pass.mailbox(),
                        "",
                        "",
                        pass.additionalMessages(),
                        pass.error().orElse(""),
                        report.phase(),
                        report.complete(),
                        estimated,
                        actual);
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing CSV to memory failed", e);
        }
        return out.toString();
    }
}
