package io.mxcutover.appliance.cutover;

/**
 * Told after a domain's phase changed and the change is on disk, e.g. the relay re-reads its routes.
 * Called on the thread that made the change (an API request or the tick); keep it short and do not throw
 * (a throw is logged and the other listeners still run).
 */
@FunctionalInterface
public interface PhaseListener {
    void phaseChanged(String domain, CutoverPhase from, CutoverPhase to);
}
