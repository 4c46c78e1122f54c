package io.mxcutover.sync.imapsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mxcutover.sync.folder.FolderRewrite;
import io.mxcutover.sync.imap.ImapEndpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImapsyncOptionsTest {
    static final String BASE =
            "--host1 old.example --user1 alice@example.com --passfile1 /etc/p1 --host2 new.example --user2 alice --password2 s2";

    static ImapsyncRequest parse(String extra) {
        return ImapsyncOptions.parse(args(BASE + " " + extra), Map.of());
    }

    /** Splits on blanks; a single-quoted part may hold blanks (as a shell would pass it). */
    static List<String> args(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (c == ' ' && !quoted) {
                if (cur.length() > 0) out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0) out.add(cur.toString());
        return out;
    }

    @Test
    void typicalCommandLineShouldTranslateToOneShotSettings() {
        ImapsyncRequest r = ImapsyncOptions.parse(
                args("imapsync --host1 127.0.0.1 --port1 1143 --user1 bob --passfile1 /tmp/p --ssl1"
                        + " --host2 new.example --user2 bob@example.com --password2 pw2 --tls2 --authuser2 admin"
                        + " --automap --exclude ^Junk --regextrans2 s/^Archive/Old/ --folder INBOX --folder Sent"
                        + " --maxage 30 --dry --sslargs1 SSL_verify_mode=0"),
                Map.of());
        assertThat(r.host1().host()).isEqualTo("127.0.0.1");
        assertThat(r.host1().port()).isEqualTo(1143);
        assertThat(r.host1().security()).isEqualTo(ImapEndpoint.Security.TLS);
        assertThat(r.host1().trustAnyCertificate()).isTrue();
        assertThat(r.host1().passfile()).contains(Path.of("/tmp/p"));
        assertThat(r.host2().port()).isEqualTo(143);
        assertThat(r.host2().security()).isEqualTo(ImapEndpoint.Security.STARTTLS);
        assertThat(r.host2().trustAnyCertificate()).isFalse();
        ImapEndpoint e2 = r.host2().endpoint("pw2");
        assertThat(e2.master()).hasValueSatisfying(m -> assertThat(m.user()).isEqualTo("admin"));
        assertThat(r.host2().login("pw2").user()).isEqualTo("bob@example.com");
        assertThat(r.host2().login("pw2").secret().isEmpty()).isTrue();
        assertThat(r.folders().specialUse()).isTrue();
        assertThat(r.folders().excludeRegex()).containsExactly("^Junk");
        assertThat(r.folders().folders()).containsExactly("INBOX", "Sent");
        assertThat(r.folders().rewrites()).extracting(FolderRewrite::perl).containsExactly("s/^Archive/Old/");
        assertThat(r.messages().maxAgeDays()).contains(30);
        assertThat(r.messages().minAgeDays()).isEmpty();
        assertThat(r.dry()).isTrue();
        assertThat(r.mode()).isEqualTo(ImapsyncRequest.Mode.SYNC);
        assertThat(r.address()).isEqualTo("bob@127.0.0.1");
    }

    /** extra options | field=value facts about the request. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "''                             | port1=143;security1=PLAIN_OR_STARTTLS;automap=false;mode=SYNC;dry=false",
                "--ssl1 --ssl2                  | port1=993;port2=993;security1=TLS;security2=TLS",
                "-ssl1 --port1=10993            | port1=10993;security1=TLS",
                "--tls1                         | port1=143;security1=STARTTLS",
                "--automap                      | automap=true",
                "--noautomap                    | automap=false",
                "--justfolders                  | mode=JUST_FOLDERS;foldersOnly=true",
                "--justlogin                    | mode=JUST_LOGIN",
                "--dry --justfolders            | mode=JUST_FOLDERS;dry=true",
                "--minage 365                   | minage=365",
                "--maxage=7                     | maxage=7",
                "--subfolder2 Legacy/Mail       | subfolder=Legacy/Mail",
                "--include ^INBOX --include Sent | include=^INBOX,Sent",
                "--regextrans2 s/a/b/ --regextrans2 s,c,d,g | rewrites=s/a/b/,s,c,d,g",
                "--syncinternaldates --nofoldersizes | notes=2",
                "--state /var/s.db --key-file /var/k | state=/var/s.db;key=/var/k",
                "--authmech1 PLAIN --authmech2 LOGIN | port1=143",
            })
    void optionShouldKeepItsImapsyncMeaning(String extra, String facts) {
        ImapsyncRequest r = parse(extra);
        for (String fact : facts.split(";")) {
            String key = fact.substring(0, fact.indexOf('='));
            String want = fact.substring(fact.indexOf('=') + 1);
            Object got = switch (key) {
                case "port1" -> r.host1().port();
                case "port2" -> r.host2().port();
                case "security1" -> r.host1().security();
                case "security2" -> r.host2().security();
                case "automap" -> r.folders().specialUse();
                case "mode" -> r.mode();
                case "dry" -> r.dry();
                case "foldersOnly" -> r.messages().foldersOnly();
                case "minage" -> r.messages().minAgeDays().orElseThrow();
                case "maxage" -> r.messages().maxAgeDays().orElseThrow();
                case "subfolder" -> r.folders().subfolder().orElseThrow();
                case "include" -> String.join(",", r.folders().includeRegex());
                case "rewrites" ->
                    String.join(
                            ",",
                            r.folders().rewrites().stream()
                                    .map(FolderRewrite::perl)
                                    .toList());
                case "notes" -> r.notes().size();
                case "state" -> r.state().orElseThrow().toString();
                case "key" -> r.keyFile().orElseThrow().toString();
                default -> throw new IllegalArgumentException(key);
            };
            assertThat(String.valueOf(got)).as(key).isEqualTo(want);
        }
    }

    /** extra options (replacing nothing) | words the refusal must contain. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "--delete2                      | --delete2 is not supported | read-only",
                "--delete1                      | --delete1 is not supported | read-only",
                "--expunge2                     | --expunge2 | nothing is ever deleted on the new",
                "--delete2duplicates            | --delete2duplicates | read-only",
                "--regexmess s/a/b/             | --regexmess | byte-exact",
                "--addheader                    | --addheader | byte-exact",
                "--useheader Message-Id         | --useheader | identity",
                "--gmail1                       | --gmail1 | presets",
                "--search SINCE                 | --search | --maxage",
                "--maxsize 1000                 | --maxsize | whatever its size",
                "--f1f2 a=b                     | --f1f2 | --regextrans2",
                "--oauthaccesstoken1 t          | --oauthaccesstoken1 | OAuth2",
                "--frobnicate                   | --frobnicate is not an imapsync option | nothing was done",
                "--regextrans2 tr/a-z/A-Z/      | --regextrans2 | transliteration",
                "--regextrans2 s/a/b/e          | --regextrans2 | 'e' flag",
                "--exclude Junk(                | not a valid regular expression | Junk(",
                "--ssl1 --tls1                  | --ssl1 and --tls1 | keep one",
                "--port1 99999                  | --port1 | not a port",
                "--maxage 1.5                   | --maxage | whole number",
                "--sslargs1 SSL_version=TLSv1   | --sslargs1 | SSL_verify_mode=0",
                "--authmech1 CRAM-MD5           | --authmech1 CRAM-MD5 | not supported",
                "--automap --noautomap          | contradict | keep one",
                "--justlogin --justfolders      | contradict | keep one",
                "--host1 other                  | --host1 is given more than once | ''",
                "stray                          | unexpected argument 'stray' | ''",
                "--subfolder2                   | --subfolder2 needs a value | ''",
                "--dry=yes                      | --dry takes no value | ''",
                "--password1 x                  | --password1 and --passfile1 | keep one",
            })
    void optionShouldBeRefusedWithTheReason(String extra, String words, String more) {
        assertThatThrownBy(() -> parse(extra))
                .isInstanceOf(ImapsyncOptions.Refused.class)
                .hasMessageContaining(words)
                .hasMessageContaining(more);
    }

    @Test
    void missingServerUserOrPasswordShouldBeNamed() {
        assertThatThrownBy(() -> ImapsyncOptions.parse(args("--user1 a --password1 p"), Map.of()))
                .hasMessageContaining("--host1 is missing");
        assertThatThrownBy(() -> ImapsyncOptions.parse(args("--host1 h --password1 p"), Map.of()))
                .hasMessageContaining("--user1 is missing");
        assertThatThrownBy(() -> ImapsyncOptions.parse(args("--host1 h --user1 a --host2 h --user2 b"), Map.of()))
                .hasMessageContaining("no password for --user1")
                .hasMessageContaining("--passfile1");
    }

    @Test
    void passwordShouldComeFromTheEnvironmentLikeImapsync() {
        ImapsyncRequest r = ImapsyncOptions.parse(
                args("--host1 h --user1 a@x.org --host2 h2 --user2 b"),
                Map.of("IMAPSYNC_PASSWORD1", "one", "IMAPSYNC_PASSWORD2", "two"));
        assertThat(r.host1().password()).contains("one");
        assertThat(r.host2().password()).contains("two");
        assertThat(r.address()).isEqualTo("a@x.org");
    }

    @Test
    void everyRefusedOptionShouldSayWhy() {
        ImapsyncOptions.REFUSED.forEach(
                (option, why) -> assertThat(why).as(option).hasSizeGreaterThan(15));
        assertThat(Arrays.asList("delete2", "delete1", "regexmess", "useheader", "search"))
                .allSatisfy(o -> assertThat(ImapsyncOptions.REFUSED).containsKey(o));
        assertThat(ImapsyncOptions.REFUSED.keySet())
                .doesNotContainAnyElementsOf(ImapsyncOptions.VALUED)
                .doesNotContainAnyElementsOf(ImapsyncOptions.FLAGS)
                .doesNotContainAnyElementsOf(ImapsyncOptions.ALWAYS.keySet());
        assertThat(Optional.of(ImapsyncOptions.ALWAYS)).isPresent();
    }
}
