package io.mxcutover.appliance.batch;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.validation.constraints.NotNull;
import java.util.Arrays;
import java.util.Locale;

/** The {@code batches:} section of the service YAML. */
public class BatchConfig {
    /** Which mailboxes a domain's cutover readiness judges. */
    public enum ReadinessScope {
        /** Every mailbox of the domain: a batch not started is red until its history is copied. */
        ALL_MAILBOXES("all-mailboxes"),
        /** The mailboxes of started (running, paused or completed) batches, and those in no batch. */
        STARTED_BATCHES("started-batches");

        private final String word;

        ReadinessScope(String word) {
            this.word = word;
        }

        @JsonValue
        public String word() {
            return word;
        }

        @JsonCreator
        public static ReadinessScope of(String s) {
            String w = s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
            return Arrays.stream(values())
                    .filter(v -> v.word.equals(w))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(
                            "batches.readiness '" + s + "': write all-mailboxes or started-batches"));
        }
    }

    @NotNull
    @JsonProperty
    public ReadinessScope readiness = ReadinessScope.ALL_MAILBOXES;
}
