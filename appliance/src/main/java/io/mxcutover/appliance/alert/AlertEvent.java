package io.mxcutover.appliance.alert;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What needs a human, as the YAML and the alert's {@code event} name it. */
public enum AlertEvent {
    MAILBOX_FAILED("mailbox-failed"),
    READINESS_RED("readiness-red"),
    RELAY_QUEUE_OLD("relay-queue-old"),
    MESSAGE_BOUNCED("message-bounced"),
    WINDOW_CLOSING("window-closing"),
    DNS_REGRESSED("dns-regressed"),
    PHASE_CHANGED("phase-changed");

    private final String word;

    AlertEvent(String word) {
        this.word = word;
    }

    @JsonValue
    public String word() {
        return word;
    }

    @JsonCreator
    public static AlertEvent of(String s) {
        String w = s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(e -> e.word.equals(w))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown alert event '" + s + "'; known: "
                        + Arrays.stream(values()).map(AlertEvent::word).collect(Collectors.joining(", "))));
    }

    @Override
    public String toString() {
        return word;
    }
}
