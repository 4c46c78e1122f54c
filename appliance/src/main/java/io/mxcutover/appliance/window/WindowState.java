package io.mxcutover.appliance.window;

/** Where the catch-up window of a domain stands at one instant. */
public enum WindowState {
    /** The domain has not been cut over; the window starts at cutover. */
    NOT_STARTED,
    /** Open with a known closing time. */
    OPEN,
    /** Open; the closing time is unknown until every watched resolver returns the new MX set. */
    WAITING_FOR_RESOLVERS,
    /** Open and will not close by itself: the MX switch was never seen on the authoritative servers. */
    MX_SWITCH_NOT_SEEN,
    /** Closed: the domain may complete and legacy may be switched off. */
    CLOSED
}
