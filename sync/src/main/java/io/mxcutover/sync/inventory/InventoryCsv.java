package io.mxcutover.sync.inventory;

import java.io.IOException;
import java.io.Writer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * An inventory as CSV for a spreadsheet: one row per mailbox and legacy folder (a mailbox that could not be
 * listed gets one row with its outcome and reason). The totals and the estimate are in the table and the JSON.
 */
public final class InventoryCsv {
    /** The columns, also those of the API's {@code GET .../inventory?format=csv}; a fresh copy each call. */
    public static String[] header() {
        return HEADER.clone();
    }

    private static final String[] HEADER = {
        "address",
        "outcome",
        "legacy_folder",
        "messages",
        "bytes",
        "new_folder",
        "fate",
        "reason",
        "messages_over_appendlimit",
        "largest_message_bytes"
    };

    private InventoryCsv() {}

    public static void write(InventoryReport report, Writer out) throws IOException {
        CSVPrinter csv = new CSVPrinter(
                out, CSVFormat.DEFAULT.builder().setHeader(HEADER).get());
        for (MailboxInventory m : report.mailboxes()) {
            long over = report.overAppendLimit().getOrDefault(m.address(), 0L);
            long largest = m.largest().isEmpty() ? 0 : m.largest().get(0).size();
            if (m.folders().isEmpty()) {
                csv.printRecord(
                        m.address(),
                        m.outcome(),
                        "",
                        0,
                        0,
                        "",
                        "",
                        join(m.problem(), m.newServerProblem()),
                        over,
                        largest);
            }
            for (FolderCount f : m.folders()) {
                csv.printRecord(
                        m.address(),
                        m.outcome(),
                        f.sourceFolder(),
                        f.messages(),
                        f.bytes(),
                        f.targetFolder(),
                        f.fate(),
                        join(f.reason(), m.newServerProblem()),
                        over,
                        largest);
            }
        }
        csv.flush();
    }

    public static String join(String a, String b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : a + "; " + b;
    }
}
