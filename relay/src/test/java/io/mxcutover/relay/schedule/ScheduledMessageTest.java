package io.mxcutover.relay.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.relay.schedule.ScheduledMessage.Phase;
import io.mxcutover.relay.smtp.Envelope;
import io.mxcutover.relay.smtp.MailAddress;
import io.mxcutover.relay.spool.DeliveryStatus;
import io.mxcutover.relay.spool.SpoolEntry;
import io.mxcutover.relay.spool.SpoolId;
import io.mxcutover.relay.spool.SpoolState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScheduledMessageTest {

    static ScheduledMessage message() {
        SpoolEntry entry = new SpoolEntry(
                SpoolId.generate(Clock.systemUTC()),
                Instant.EPOCH,
                "127.0.0.1",
                "client.test",
                SpoolEntry.Origin.SMTP,
                new Envelope(Optional.empty(), List.of(MailAddress.of("bob@example.test"))),
                0,
                100,
                0);
        return new ScheduledMessage(entry, SpoolState.INCOMING, DeliveryStatus.FRESH);
    }

    /**
     * Events: ready (offer to the workers), take (a worker picks it), end (attempt over; prints the
     * phase it ended in), retry/hold/delete (an admin request during an attempt), held (file moved to
     * hold/), gone.
     */
    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # events                     | results, then the phase
            ready                        | true -> READY
            ready ready                  | true false -> READY
            ready take                   | true true -> ATTEMPTING
            ready take take              | true true false -> ATTEMPTING
            ready take end               | true true ATTEMPTING -> WAITING
            ready take ready             | true true false -> ATTEMPTING_THEN_RETRY
            ready take ready end ready   | true true false ATTEMPTING_THEN_RETRY true -> READY
            ready take hold              | true true true -> ATTEMPTING_THEN_HOLD
            ready take hold ready        | true true true false -> ATTEMPTING_THEN_HOLD
            ready take hold retry        | true true true true -> ATTEMPTING_THEN_HOLD
            ready take delete hold       | true true true true -> ATTEMPTING_THEN_DELETE
            ready take hold delete end   | true true true true ATTEMPTING_THEN_DELETE -> WAITING
            hold                         | false -> WAITING
            delete                       | false -> WAITING
            ready hold                   | true false -> READY
            held ready                   | false -> WAITING
            ready held take              | true false -> WAITING
            ready take gone end          | true true GONE -> GONE
            ready take delete gone end   | true true true GONE -> GONE
            ready gone take              | true false -> GONE
            gone ready                   | false -> GONE
            gone hold                    | false -> GONE
            """)
    void phaseShouldFollowEventsAndKeepTheStrongestAdminRequest(String events, String expected) {
        ScheduledMessage m = message();
        List<String> results = new ArrayList<>();
        for (String e : events.split(" ")) {
            switch (e) {
                case "ready" -> results.add(String.valueOf(m.ready()));
                case "take" -> results.add(String.valueOf(m.take()));
                case "end" -> results.add(m.attemptEnded().name());
                case "retry" -> results.add(String.valueOf(m.requestAfterAttempt(Phase.ATTEMPTING_THEN_RETRY)));
                case "hold" -> results.add(String.valueOf(m.requestAfterAttempt(Phase.ATTEMPTING_THEN_HOLD)));
                case "delete" -> results.add(String.valueOf(m.requestAfterAttempt(Phase.ATTEMPTING_THEN_DELETE)));
                case "held" -> m.moved(SpoolState.HOLD);
                case "gone" -> m.gone();
                default -> throw new IllegalArgumentException(e);
            }
        }
        assertThat(String.join(" ", results) + " -> " + m.phase()).isEqualTo(expected);
    }
}
