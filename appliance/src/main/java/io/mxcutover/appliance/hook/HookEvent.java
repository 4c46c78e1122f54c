package io.mxcutover.appliance.hook;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What just happened, as the YAML and a hook's {@code MXCUTOVER_EVENT} name it. */
public enum HookEvent {
    MAILBOX_HISTORY_COPIED("mailbox-history-copied"),
    MAILBOX_FAILED("mailbox-failed"),
    BATCH_COMPLETED("batch-completed"),
    DOMAIN_CUT_OVER("domain-cut-over"),
    WINDOW_CLOSED("window-closed"),
    /**
     * A user gave the legacy password on the self-service page: the hook gets it on stdin (never in the environment
     * or the arguments) and sets it on the new server. Run at once, before the copy starts.
     */
    SET_PASSWORD("set-password");

    private final String word;

    HookEvent(String word) {
        this.word = word;
    }

    @JsonValue
    public String word() {
        return word;
    }

    @JsonCreator
    public static HookEvent of(String s) {
        String w = s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(e -> e.word.equals(w))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown hook event '" + s + "'; known: "
                        + Arrays.stream(values()).map(HookEvent::word).collect(Collectors.joining(", "))));
    }

    @Override
    public String toString() {
        return word;
    }
}
