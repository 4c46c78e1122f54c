package io.mxcutover.appliance.plan;

import java.util.Locale;
import java.util.Optional;

/**
 * Which MX switches a domain's move makes, as the plan key {@code flow} names them. The catch-up window
 * is anchored in both on the moment no authoritative server lists a legacy host any more.
 */
public enum MxFlow {
    /**
     * {@code relay-first}: the MX moves legacy -> appliance before the history copy (step 2); go-live
     * flips the relay to the new server; after the window the MX moves appliance -> new provider. The
     * window starts at the first switch (legacy -> appliance); the appliance may be retired once no
     * server returns its host after the last switch, plus that record's TTL.
     */
    RELAY_FIRST("relay-first"),
    /**
     * {@code switch-at-go-live}: the MX moves legacy -> new provider at go-live; the appliance only relays
     * what still reaches it (e.g. as the domain's relay from legacy). The window starts at that switch.
     */
    SWITCH_AT_GO_LIVE("switch-at-go-live");

    private final String key;

    MxFlow(String key) {
        this.key = key;
    }

    /** As written in the plan. */
    public String key() {
        return key;
    }

    public static Optional<MxFlow> of(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        for (MxFlow f : values()) {
            if (f.key.equals(t)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return key;
    }
}
