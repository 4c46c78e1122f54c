package io.mxcutover.appliance.window;

/**
 * The term of the catch-up window rule that decided when it closes (or why it cannot).
 * Listed in the order ties are broken: on equal instants the earlier constant wins.
 */
public enum WindowTerm {
    /** The window never closes before the cutover itself. */
    CUTOVER,
    /** MX switch seen on every authoritative server + the configured length (48 h by default). */
    MX_SWITCH,
    /** Every watched resolver returned the new MX set + the largest TTL seen on the old set. */
    RESOLVERS,
    /** Last message found new on legacy + the quiet period (6 h by default). */
    QUIET_PERIOD,
    /** An admin extended the window. */
    EXTENSION,
    /** An admin closed the window early. */
    FORCED_CLOSE
}
