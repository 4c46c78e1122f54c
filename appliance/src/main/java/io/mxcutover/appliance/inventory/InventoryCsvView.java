package io.mxcutover.appliance.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import io.mxcutover.sync.inventory.InventoryCsv;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** A stored report (its JSON) as the CSV of {@link InventoryCsv}: one row per mailbox and legacy folder. */
final class InventoryCsvView {
    private InventoryCsvView() {}

    static String of(JsonNode report) {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(
                out,
                CSVFormat.DEFAULT.builder().setHeader(InventoryCsv.header()).get())) {
            for (JsonNode m : report.path("mailboxes")) {
                String address = m.path("address").asText();
                String outcome = m.path("outcome").asText();
                long over = m.path("messagesOverAppendLimit").asLong();
                long largest = m.path("largest").path(0).path("size").asLong(0);
                String newProblem = m.path("newServerProblem").asText();
                if (m.path("folders").isEmpty()) {
                    csv.printRecord(
                            address,
                            outcome,
                            "",
                            0,
                            0,
                            "",
                            "",
                            InventoryCsv.join(m.path("problem").asText(), newProblem),
                            over,
                            largest);
                }
                for (JsonNode f : m.path("folders")) {
                    csv.printRecord(
                            address,
                            outcome,
                            f.path("legacyFolder").asText(),
                            f.path("messages").asLong(),
                            f.path("bytes").asLong(),
                            f.path("newFolder").asText(),
                            f.path("fate").asText(),
                            InventoryCsv.join(f.path("reason").asText(), newProblem),
                            over,
                            largest);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
