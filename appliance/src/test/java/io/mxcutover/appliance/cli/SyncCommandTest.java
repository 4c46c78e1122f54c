package io.mxcutover.appliance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.sourceforge.argparse4j.ArgumentParsers;
import net.sourceforge.argparse4j.inf.ArgumentParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SyncCommandTest {
    private static List<String> parsedByArgparse(List<String> line) throws Exception {
        ArgumentParser parser = ArgumentParsers.newFor("mxcutover").build();
        new SyncCommand().configure(parser.addSubparsers().addParser("sync"));
        List<String> all = new ArrayList<>(List.of("sync"));
        all.addAll(line);
        return SyncCommand.cliArgs(parser.parseArgs(all.toArray(String[]::new)));
    }

    /** A plain line goes around Dropwizard, and SyncCli gets exactly what the argparse path gives it. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "--legacy imap://old:143 --new imaps://new:993 --csv m.csv",
                "--csv m.csv --new imap://n --legacy imap://o --state /var/lib/x.db --parallel 8 --dry-run",
                "--legacy imap://o --new imap://n --csv m.csv --include INBOX --include Archive/* --exclude Junk"
                        + " --rename Old=Archive/Old --verify --no-multiappend --batch 50 --key-file k",
                "--legacy imap://o --new imap://n --csv m.csv --master-user admin --master-password env:PW"
                        + " --legacy-master-user a --new-master-password p --backup /b --check-backup /c",
                "--legacy imap://o --new imap://n --csv Pièces\u00a0jointes.csv --rename Éléments=Archive/Éléments",
            })
    void directShouldGiveWhatArgparseGivesWhenLineIsPlain(String line) throws Exception {
        List<String> args = List.of(line.split(" "));

        assertThat(SyncCommand.direct(args)).contains(parsedByArgparse(args));
    }

    /** Anything argparse answers itself (help, errors) or parses its own way goes to argparse. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "--help",
                "-h",
                "--legacy imap://o --new imap://n",
                "--legacy imap://o --new imap://n --csv",
                "--legacy=imap://o --new imap://n --csv m.csv",
                "--legacy imap://o --new imap://n --csv m.csv --unknown x",
                "--legacy imap://o --new imap://n --csv m.csv extra",
                "--legacy imap://o --legacy imap://p --new imap://n --csv m.csv",
                "--legacy imap://o --new imap://n --csv m.csv --parallel -1",
                "--legacy imap://o --new imap://n --csv m.csv --help",
            })
    void directShouldLeaveLineToArgparseWhenNotPlain(String line) {
        assertThat(SyncCommand.direct(List.of(line.split(" ")))).isEmpty();
    }
}
