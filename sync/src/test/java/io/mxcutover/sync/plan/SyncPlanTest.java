package io.mxcutover.sync.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Table: source messages, target messages, state records, expected steps.
 * Message: {@code uid:identity[:flag+flag]}; record: {@code sourceUidValidity/uid:identity:targetUid:flags:INTENT|DONE}.
 * Source UIDVALIDITY is 10 unless the case says otherwise; target UIDVALIDITY is 20.
 */
class SyncPlanTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "first copy copies everything          | 1:a 2:b      | -            | -                              | Copy 1, Copy 2",
                "rerun copies nothing                  | 1:a 2:b      | 7:a 8:b      | 10/1:a:7::DONE 10/2:b:8::DONE  | -",
                "new arrival is copied                 | 1:a 2:b 3:c  | 7:a 8:b      | 10/1:a:7::DONE 10/2:b:8::DONE  | Copy 3",
                "deleted on target is not resurrected  | 1:a 2:b      | 8:b          | 10/1:a:7::DONE 10/2:b:8::DONE  | -",
                "intent that landed is adopted         | 1:a 2:b      | 7:a 8:b      | 10/1:a:7::DONE 10/2:b:0::INTENT | Adopt 2->8",
                "intent that did not land is copied    | 1:a 2:b      | 7:a          | 10/1:a:7::DONE 10/2:b:0::INTENT | Copy 2",
                "duplicates need one target each       | 1:a 2:a      | 7:a          | 10/1:a:7::DONE 10/2:a:0::INTENT | Copy 2",
                "duplicates both landed                | 1:a 2:a      | 7:a 9:a      | 10/1:a:7::DONE 10/2:a:0::INTENT | Adopt 2->9",
                "lost state adopts what target has     | 1:a 2:b      | 5:b          | -                              | Copy 1, Adopt 2->5",
                "uidvalidity change rebinds by identity| 11:a 12:b 13:c | 7:a 8:b    | 9/1:a:7::DONE 9/2:b:8::DONE    | Rebind 1->11, Rebind 2->12, Copy 13",
                "uidvalidity change keeps deletions    | 11:a 12:b    | 8:b          | 9/1:a:7::DONE 9/2:b:8::DONE    | Rebind 1->11, Rebind 2->12",
                "source flag change follows            | 1:a:\\Seen   | 7:a          | 10/1:a:7::DONE                 | SetFlags 7 +[\\Seen] -[]",
                "source unflag follows                 | 1:a          | 7:a:\\Flagged | 10/1:a:7:\\Flagged:DONE       | SetFlags 7 +[] -[\\Flagged]",
                "target user change is kept            | 1:a:\\Seen   | 7:a:\\Seen+\\Flagged | 10/1:a:7:\\Seen:DONE     | -",
                "merge keeps user flag                 | 1:a:\\Seen+$Work | 7:a:\\Flagged | 10/1:a:7::DONE           | SetFlags 7 +[$Work, \\Seen] -[]",
                "flag change on deleted target ignored | 1:a:\\Seen   | -            | 10/1:a:7::DONE                 | -",
                "intent landed with date not kept      | 1:a@900 2:b  | 7:a@500      | 10/1:a@900:0::INTENT           | Adopt 1->7, Copy 2",
                "intent landed exact before date-less  | 1:a@900 2:a@900 | 7:a@500 8:a@900 | 10/1:a@900:0::INTENT 10/2:a@900:0::INTENT | Adopt 1->8, Adopt 2->7",
                "intent with a later target date copied| 1:a@500      | 7:a@900      | 10/1:a@500:0::INTENT           | Copy 1",
                "unknown with another date is copied   | 1:a@900      | 7:a@500      | -                              | Copy 1",
            })
    void planShouldListStepsWhenGivenSnapshotsAndState(
            String name, String source, String target, String records, String expected) {
        long sourceUidValidity = name.startsWith("uidvalidity") ? 11 : 10;
        SyncPlan.FolderPlan plan =
                SyncPlan.plan(snapshot(source, sourceUidValidity), snapshot(target, 20), state(records));
        String actual = plan.steps().stream().map(SyncPlanTest::describe).collect(Collectors.joining(", "));
        assertThat(actual.isEmpty() ? "-" : actual).isEqualTo(expected.trim());
    }

    static String describe(Step s) {
        if (s instanceof Step.Copy c) {
            return "Copy " + c.source().uid();
        } else if (s instanceof Step.Adopt a) {
            return "Adopt " + a.source().uid() + "->" + a.targetUid();
        } else if (s instanceof Step.Rebind r) {
            return "Rebind " + r.old().sourceUid() + "->" + r.source().uid();
        } else if (s instanceof Step.SetFlags f) {
            return "SetFlags " + f.targetUid() + " +" + new TreeSet<>(f.add()) + " -" + new TreeSet<>(f.remove());
        }
        throw new IllegalArgumentException(String.valueOf(s));
    }

    /** {@code a} or {@code a@900}: header digest "a", INTERNALDATE 900 (0 when not given). */
    static Identity identity(String key) {
        String[] p = key.split("@");
        return new Identity("", 1, p.length > 1 ? Long.parseLong(p[1]) : 0, p[0]);
    }

    static Set<String> flags(String s) {
        return s == null || s.isEmpty() ? Set.of() : new TreeSet<>(Arrays.asList(s.split("\\+")));
    }

    static FolderSnapshot snapshot(String spec, long uidValidity) {
        List<MessageMeta> messages = new ArrayList<>();
        if (!spec.trim().equals("-")) {
            for (String m : spec.trim().split(" +")) {
                String[] p = m.split(":", -1);
                messages.add(new MessageMeta(Long.parseLong(p[0]), identity(p[1]), flags(p.length > 2 ? p[2] : ""), 0));
            }
        }
        return new FolderSnapshot("f", uidValidity, 100, 0, messages);
    }

    static FolderState state(String spec) {
        List<CopyRecord> records = new ArrayList<>();
        if (!spec.trim().equals("-")) {
            for (String r : spec.trim().split(" +")) {
                String[] p = r.split(":", -1);
                String[] uv = p[0].split("/");
                records.add(new CopyRecord(
                        Long.parseLong(uv[0]),
                        Long.parseLong(uv[1]),
                        identity(p[1]),
                        20,
                        Long.parseLong(p[2]),
                        flags(p[3]),
                        CopyState.valueOf(p[4])));
            }
        }
        return new FolderState("f", records);
    }
}
