package io.mxcutover.sync.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MessageFilterTest {
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    /** maxage | minage | justfolders | message age in days | copied. ('-': not given). */
    @ParameterizedTest(name = "maxage {0} minage {1} folders-only {2}, {3} days old: {4}")
    @CsvSource({
        "-,  -,  false, 1000, true",
        "30, -,  false, 10,   true",
        "30, -,  false, 31,   false",
        "-,  30, false, 10,   false",
        "-,  30, false, 31,   true",
        // minage < maxage: between the two ages
        "90, 30, false, 10,   false",
        "90, 30, false, 60,   true",
        "90, 30, false, 100,  false",
        // minage >= maxage: imapsync takes the union (younger than maxage or older than minage)
        "30, 90, false, 10,   true",
        "30, 90, false, 60,   false",
        "30, 90, false, 100,  true",
        "-,  -,  true,  1,    false",
    })
    void filterShouldSelectByAgeLikeImapsync(String max, String min, boolean foldersOnly, int age, boolean copied) {
        MessageFilter f = new MessageFilter(days(max), days(min), foldersOnly);
        long date = NOW.minus(Duration.ofDays(age)).getEpochSecond();
        MessageMeta m = new MessageMeta(1, new Identity("<a@b>", 10, date, "d"), Set.of(), 0);
        assertThat(f.admits(m, NOW)).isEqualTo(copied);
        assertThat(f.copiesEverything()).isEqualTo(max.equals("-") && min.equals("-") && !foldersOnly);
    }

    private static Optional<Integer> days(String v) {
        return v.equals("-") ? Optional.empty() : Optional.of(Integer.parseInt(v));
    }
}
