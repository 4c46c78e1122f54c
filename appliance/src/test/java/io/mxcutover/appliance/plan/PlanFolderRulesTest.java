package io.mxcutover.appliance.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.sync.folder.FolderRules;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The plan's folder rules ({@code folders:} per domain, {@code mailboxes[].folders} per mailbox). */
class PlanFolderRulesTest {
    static final Path FILE = Path.of("plan.yml");

    static final String PLAN = """
            domains:
              - name: example.com
                legacy: { smtp: [ "old:25" ], imap: "imap://old:143" }
                new: { smtp: [ "new:25" ], imap: "imap://new:143", mx: [ mx.new.example ] }
                folders:
                  include: [ "*" ]
                  exclude: [ "Junk", "Trash/*" ]
                  rename:
                    - { from: "Old Stuff", to: "Archive/Old" }
                mailboxes:
                  - address: Alice@Example.com
                    folders:
                      exclude: [ "Private/%" ]
                      rename:
                        - { from: "Old Stuff", to: "Alice/Old" }
                  - address: bob@example.com
                    folders:
                      include: [ "INBOX", "Projects/*" ]
            """;

    @Test
    void readerShouldGiveDomainAndMailboxFolderRules() {
        PlanReader.Result r = PlanReader.read(FILE, PLAN, "fp");
        assertThat(r.problems()).isEmpty();
        DomainPlan d = r.plan().orElseThrow().domain("example.com").orElseThrow();
        assertThat(d.folders().exclude()).containsExactly("Junk", "Trash/*");
        assertThat(d.folders().rename()).containsEntry("Old Stuff", "Archive/Old");

        FolderRules alice = d.folderRulesOf("alice@example.com");
        assertThat(alice.accepts("Junk")).isFalse();
        assertThat(alice.accepts("Private/Tax")).isFalse();
        assertThat(alice.accepts("Private")).isTrue();
        assertThat(alice.rename()).containsEntry("Old Stuff", "Alice/Old");

        FolderRules bob = d.folderRulesOf("bob@example.com");
        assertThat(bob.accepts("Projects/x")).isTrue();
        assertThat(bob.accepts("Archive")).isFalse();
        assertThat(bob.accepts("Trash/x")).isFalse();

        assertThat(d.folderRulesOf("carol@example.com")).isEqualTo(d.folders());
    }

    /** text replaced | replacement | key | line | phrase of the problem. */
    @ParameterizedTest(name = "{2}: {4}")
    @CsvSource(
            delimiter = '|',
            value = {
                "\"Trash/*\" | \"/Trash\" | domains[0].folders.exclude[1] | 7 | leading or trailing",
                "\"Trash/*\" | \"\" | domains[0].folders.exclude[1] | 7 | empty exclude pattern",
                "to: \"Archive/Old\" | to: \"Archive/*\" | domains[0].folders.rename[0] | 9 | not a pattern",
                "to: \"Archive/Old\" | too: \"Archive/Old\" | domains[0].folders.rename[0].too | 9 | did you mean",
                "include: [ \"*\" ] | includes: [ \"*\" ] | domains[0].folders.includes | 6 | did you mean 'include'",
                "Alice@Example.com | alice@example.org | domains[0].mailboxes[0].address | 11 | not a mailbox of",
                "Alice@Example.com | alice | domains[0].mailboxes[0].address | 11 | not a mailbox address",
                "bob@example.com | alice@example.com | domains[0].mailboxes[1].address | 16 | listed twice",
                "\"Private/%\" | \"Private//x\" | domains[0].mailboxes[0].folders.exclude[0] | 13 | one '/'",
            })
    void readerShouldNameKeyLineAndFixWhenFolderRulesAreBroken(
            String from, String to, String key, int line, String phrase) {
        assertThat(PLAN).contains(from);
        PlanReader.Result r = PlanReader.read(FILE, PLAN.replace(from, to), "fp");
        assertThat(r.ok()).isFalse();
        assertThat(r.problems()).anySatisfy(p -> {
            assertThat(p.key()).isEqualTo(key);
            assertThat(p.line()).isEqualTo(line);
            assertThat(p.toString()).contains(phrase);
        });
    }
}
