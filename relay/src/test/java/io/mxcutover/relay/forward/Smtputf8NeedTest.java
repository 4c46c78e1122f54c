package io.mxcutover.relay.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.relay.smtp.Envelope;
import io.mxcutover.relay.smtp.MailAddress;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Smtputf8NeedTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '\'',
            value = {
                "not declared, UTF-8 header          | false | a@x.test | b@y.test | Subject: Grüße\\r\\n\\r\\nx\\r\\n | false",
                "declared, all ASCII                 | true  | a@x.test | b@y.test | Subject: hi\\r\\n\\r\\nx\\r\\n      | false",
                "declared, UTF-8 only in the body    | true  | a@x.test | b@y.test | Subject: hi\\r\\n\\r\\nKäse\\r\\n   | false",
                "declared, UTF-8 in a header         | true  | a@x.test | b@y.test | Subject: Grüße\\r\\n\\r\\nx\\r\\n | true",
                "declared, UTF-8 in a later header   | true  | a@x.test | b@y.test | A: b\\r\\nFrom: Jörg <j@x>\\r\\n\\r\\n | true",
                "declared, UTF-8 recipient           | true  | a@x.test | jörg@y.test | Subject: hi\\r\\n\\r\\nx\\r\\n   | true",
                "declared, UTF-8 sender              | true  | jörg@x.test | b@y.test | Subject: hi\\r\\n\\r\\nx\\r\\n   | true",
                "declared, null sender, ASCII        | true  | ''       | b@y.test | Subject: hi\\r\\n\\r\\nx\\r\\n      | false",
                "declared, headers only, no body     | true  | a@x.test | b@y.test | Subject: hi\\r\\n                  | false",
                "declared, bare LF header end        | true  | a@x.test | b@y.test | Subject: hi\\n\\nKäse\\n           | false",
            })
    void neededShouldBeTrueOnlyWhenDeclaredAndAnAddressOrHeaderIsUtf8(
            String name, boolean declared, String sender, String recipient, String message, boolean expected)
            throws Exception {
        Envelope envelope = new Envelope(
                sender.isEmpty() ? Optional.empty() : Optional.of(sender),
                List.of(MailAddress.of(recipient)),
                declared);
        byte[] bytes = message.replace("\\r", "\r").replace("\\n", "\n").getBytes(StandardCharsets.UTF_8);
        assertThat(Smtputf8Need.needed(envelope, new ByteArrayInputStream(bytes)))
                .as(name)
                .isEqualTo(expected);
    }
}
