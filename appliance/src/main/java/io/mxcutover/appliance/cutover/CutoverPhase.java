package io.mxcutover.appliance.cutover;

/**
 * Where a domain stands in its migration. Persisted by name in the store, so never rename a constant.
 *
 * <ul>
 *   <li>{@link #RELAYING}: mxcutover is the MX and forwards to the legacy server; sync copies history
 *       and new arrivals.</li>
 *   <li>{@link #CATCHING_UP}: go-live happened; the relay delivers to the new server and the sync keeps
 *       catching up from legacy until the catch-up window closes.</li>
 *   <li>{@link #COMPLETED}: the window closed; sync stopped; legacy may be switched off.</li>
 * </ul>
 */
public enum CutoverPhase {
    RELAYING,
    CATCHING_UP,
    COMPLETED;

    /** Whether the relay delivers this domain's mail to the new server. */
    public boolean routesToNew() {
        return this != RELAYING;
    }
}
