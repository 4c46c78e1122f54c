package io.mxcutover.appliance.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mxcutover.sync.inventory.CopyEstimate;
import io.mxcutover.sync.inventory.DomainTotals;
import io.mxcutover.sync.inventory.FolderCount;
import io.mxcutover.sync.inventory.InventoryReport;
import io.mxcutover.sync.inventory.InventoryTable;
import io.mxcutover.sync.inventory.LargeMessage;
import io.mxcutover.sync.inventory.MailboxInventory;
import java.time.Duration;
import java.util.List;

/**
 * An inventory as JSON: the API's {@code report}, what {@code ./mxcutover inventory --json} prints and what
 * the store keeps. Written field by field so the shape is the documented one (docs/reference/api.md) whatever
 * the records grow. Durations are seconds (with a text for people), times ISO-8601.
 */
public final class InventoryJson {
    private InventoryJson() {}

    public static ObjectNode of(InventoryReport r, ObjectMapper json) {
        ObjectNode out = json.createObjectNode();
        out.put("startedAt", r.startedAt().toString());
        out.put("finishedAt", r.finishedAt().toString());
        out.put("legacy", r.legacy());
        out.put("new", r.newServer().orElse(null));
        if (r.appendLimit().isPresent()) {
            out.put("appendLimit", r.appendLimit().get());
        } else {
            out.putNull("appendLimit");
        }
        out.set("estimate", estimate(r.estimate(), json));
        ArrayNode domains = out.putArray("domains");
        for (DomainTotals d : r.domains()) {
            domains.add(json.valueToTree(d));
        }
        ArrayNode mailboxes = out.putArray("mailboxes");
        for (MailboxInventory m : r.mailboxes()) {
            ObjectNode mb = mailboxes.addObject();
            mb.put("address", m.address());
            mb.put("outcome", m.outcome().name());
            mb.put("problem", m.problem());
            mb.put("newServerProblem", m.newServerProblem());
            mb.put("messages", m.messages());
            mb.put("bytes", m.bytes());
            mb.put("listingSeconds", seconds(m.listing()));
            mb.put("messagesOverAppendLimit", r.overAppendLimit().getOrDefault(m.address(), 0L));
            ArrayNode folders = mb.putArray("folders");
            for (FolderCount f : m.folders()) {
                ObjectNode fo = folders.addObject();
                fo.put("legacyFolder", f.sourceFolder());
                fo.put("messages", f.messages());
                fo.put("bytes", f.bytes());
                fo.put("newFolder", f.targetFolder());
                fo.put("fate", f.fate().name());
                fo.put("reason", f.reason());
            }
            mb.set("largest", messages(m.largest(), json));
            mb.set("overAppendLimit", messages(m.overAppendLimit(), json));
        }
        return out;
    }

    static ObjectNode estimate(CopyEstimate e, ObjectMapper json) {
        ObjectNode out = json.createObjectNode();
        out.put("seconds", seconds(e.duration()));
        out.put("text", InventoryTable.duration(e.duration()));
        out.put("parallelism", e.parallelism());
        out.put("mailboxes", e.mailboxes());
        out.put("mailboxesNotListed", e.notListed());
        out.put("messages", e.messages());
        out.put("bytes", e.bytes());
        ObjectNode rate = out.putObject("rate");
        rate.put("source", e.rate().source().name());
        rate.put("messagesPerSecond", Math.round(e.rate().messagesPerSecond() * 10) / 10.0);
        rate.put("bytesPerSecond", Math.round(e.rate().bytesPerSecond()));
        rate.put("basis", e.rate().basis());
        ObjectNode tolerance = out.putObject("tolerance");
        tolerance.put("low", CopyEstimate.LOW);
        tolerance.put("high", CopyEstimate.HIGH);
        return out;
    }

    private static ArrayNode messages(List<LargeMessage> list, ObjectMapper json) {
        ArrayNode out = json.createArrayNode();
        for (LargeMessage l : list) {
            ObjectNode o = out.addObject();
            o.put("folder", l.folder());
            o.put("uid", l.uid());
            o.put("size", l.size());
            o.put("messageId", l.messageId());
            o.put("internalDate", l.internalDate().toString());
        }
        return out;
    }

    static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    /** The addresses of the mailboxes a stored report listed (those the estimate covers). */
    static List<String> listed(JsonNode report) {
        List<String> out = new java.util.ArrayList<>();
        report.path("mailboxes").forEach(m -> {
            if (m.path("outcome").asText().equals(MailboxInventory.Outcome.LISTED.name())) {
                out.add(m.path("address").asText());
            }
        });
        return out;
    }
}
