package io.mxcutover.sync.batch;

import io.mxcutover.sync.mailbox.InvalidMailboxList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The optional {@code batch} column of a mailbox list (CSV with a header; the {@code user:pass:address}
 * list has none): address -> batch name, lower case; an empty cell is "in no batch". Read after
 * {@link io.mxcutover.sync.mailbox.MailboxCsv} accepted the list, so the rows themselves are known to be
 * sound; this only checks the batch names.
 */
public final class BatchColumn {
    public static final String COLUMN = "batch";

    private BatchColumn() {}

    /**
     * Address -> batch ("" for an empty cell) of every row; empty when the list has no {@code batch} column
     * (then an import leaves every mailbox's batch as it was). A bad batch name raises
     * {@link InvalidMailboxList} with every such line.
     */
    public static Optional<Map<String, String>> read(String text) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        String first = body.lines()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .findFirst()
                .orElse("");
        if (!first.toLowerCase(Locale.ROOT).replace("\"", "").startsWith("address,")
                && !first.toLowerCase(Locale.ROOT).contains("legacy_login")) {
            return Optional.empty();
        }
        CSVFormat format = CSVFormat.DEFAULT
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .setTrim(true)
                .setIgnoreEmptyLines(true)
                .setCommentMarker('#')
                .get();
        try (CSVParser parser = CSVParser.parse(body, format)) {
            Map<String, Integer> header = new LinkedHashMap<>();
            parser.getHeaderMap().forEach((k, v) -> header.put(k.trim().toLowerCase(Locale.ROOT), v));
            Integer column = header.get(COLUMN);
            Integer address = header.get("address");
            if (column == null || address == null) {
                return Optional.empty();
            }
            Map<String, String> out = new LinkedHashMap<>();
            List<InvalidMailboxList.Problem> problems = new ArrayList<>();
            for (CSVRecord row : parser) {
                String a = value(row, address).toLowerCase(Locale.ROOT);
                String batch = value(row, column).toLowerCase(Locale.ROOT);
                if (!batch.isEmpty()) {
                    Optional<String> bad = Batch.nameProblem(batch);
                    if (bad.isPresent()) {
                        problems.add(new InvalidMailboxList.Problem(
                                parser.getCurrentLineNumber(),
                                "mailbox " + a + ": " + bad.get(),
                                "write a name like pilot, wave-2 or sales.emea"));
                        continue;
                    }
                }
                out.put(a, batch);
            }
            if (!problems.isEmpty()) {
                throw new InvalidMailboxList(problems);
            }
            return Optional.of(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String value(CSVRecord row, int index) {
        return index < row.size() ? row.get(index).strip() : "";
    }
}
