package io.mxcutover.appliance.readiness;

/** Outcome of one preflight check. Only {@link #FAIL} blocks a cutover (unless forced). */
public enum CheckState {
    PASS,
    WARN,
    FAIL
}
