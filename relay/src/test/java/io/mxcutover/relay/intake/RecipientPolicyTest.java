package io.mxcutover.relay.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.relay.route.DomainRoute;
import io.mxcutover.relay.route.NextHop;
import io.mxcutover.relay.route.RoutingTable;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecipientPolicyTest {

    static final RoutingTable TABLE = RoutingTable.of(
            DomainRoute.relaying("example.test", List.of(NextHop.of("127.0.0.1:9")), List.of()),
            DomainRoute.relaying("known.test", List.of(NextHop.of("127.0.0.1:9")), List.of())
                    .withRecipients(Set.of("kelly", "Bob@KNOWN.test", "jörg")));

    static String verdict(RecipientPolicy.Verdict v) {
        if (v instanceof RecipientPolicy.Refuse r) {
            return r.reply().code() + " " + r.reply().enhanced();
        }
        RecipientPolicy.Accept a = (RecipientPolicy.Accept) v;
        return "accept " + a.address() + (a.needsCallout() ? " callout" : "");
    }

    @ParameterizedTest(name = "[{index}] {0} smtputf8={1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            # RCPT path              | SMTPUTF8 | expected
            kelly@known.test         | false | accept kelly@known.test
            KELLY@known.test         | false | accept KELLY@known.test
            bob@known.test           | false | accept bob@known.test
            jörg@known.test          | true  | accept jörg@known.test
            jörg@known.test          | false | 553 5.6.7
            \u212Aelly@known.test    | true  | 550 5.1.1
            \u212Aelly@known.test    | false | 553 5.6.7
            ｋelly@known.test         | true  | 550 5.1.1
            mallory@known.test       | false | 550 5.1.1
            jörg@example.test        | true  | accept jörg@example.test callout
            老板@example.test          | true  | accept 老板@example.test callout
            老板@example.test          | false | 553 5.6.7
            bob@other.test           | false | 550 5.7.1
            bob@faß.test             | true  | 501 5.1.3
            """)
    void checkShouldMatchListedMailboxesExactlyExceptAsciiCase(String raw, boolean smtputf8, String expected) {
        assertThat(verdict(RecipientPolicy.check(raw, TABLE, smtputf8))).isEqualTo(expected);
    }
}
