package io.mxcutover.sync.folder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FolderRewriteTest {
    /** imapsync --regextrans2 expression | target name | expected. */
    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "s/^Archive/Old/               | Archive          | Old",
                "s/^Archive/Old/               | Archive/2019     | Old/2019",
                "s/^Archive/Old/               | MyArchive        | MyArchive",
                "s/a/b/                        | banana           | bbnana",
                "s/a/b/g                       | banana           | bbnbnb",
                "s/A/b/gi                      | bAnana           | bbnbnb",
                "s,^INBOX\\.,,                 | INBOX.Sent       | Sent",
                "s#/#.#g                       | a/b/c            | a.b.c",
                "s/\\[Gmail\\]\\///            | [Gmail]/Sent     | Sent",
                "s/(\\w+)\\/(\\w+)/$2-$1/      | Lists/Dev        | Dev-Lists",
                "s/(\\w+)\\/(\\w+)/\\2-\\1/    | Lists/Dev        | Dev-Lists",
                "s/^(.*)$/Old\\/${1}2019/      | Mail             | Old/Mail2019",
                "s/^/Migrated\\//              | Sent             | Migrated/Sent",
                "s/^INBOX$/Legacy INBOX/       | INBOX            | Legacy INBOX",
                "s/[\\^]/_/g                   | a^b^c            | a_b_c",
                "s/ +$//                       | Trailing         | Trailing",
                "s/x/\\$/                      | axb              | a$b",
                "s/b/$&$&/                     | abc              | abbc",
                "s/(a)/$1\\1/                  | a                | aa",
            })
    void rewriteShouldApplyPerlSubstitutionLikeImapsync(String perl, String name, String expected) {
        assertThat(FolderRewrite.of(perl).apply(name)).isEqualTo(expected);
    }

    /** expression | words the refusal must contain. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "tr/a-z/A-Z/            | transliteration",
                "y/a/b/                 | transliteration",
                "m/Archive/             | not a substitution",
                "Archive                | not a substitution",
                "s/a/b/e                | 'e' flag",
                "s/a/b/ee               | 'e' flag",
                "s/a/b/o                | flag 'o'",
                "s{a}{b}                | bracketing",
                "s/a/b                  | not complete",
                "s/(/x/                 | invalid regular expression",
                "s/a/$h2_sep/           | Perl variable",
                "s/a/@list/             | Perl array",
                "s/a/\\n/               | escape",
                "s/a/b$/                | lone '$'",
                "sxaxbx                 | delimiter",
            })
    void rewriteShouldRefuseWhatItCannotDoTheSameWay(String perl, String words) {
        assertThatThrownBy(() -> FolderRewrite.of(perl))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(words)
                .hasMessageContaining(perl.strip());
    }
}
