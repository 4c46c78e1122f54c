package io.mxcutover.dnscheck.propagation;

/**
 * How far a domain's MX change has spread. The exit code is what {@code mxcutover dnscheck}
 * returns, so that scripts can wait for 0. 1 and 2 are left to the launcher (crash, usage).
 */
public enum Verdict {
    PROPAGATED(0),
    PROPAGATING(3),
    PUBLISHED(4),
    NOT_SWITCHED(5),
    INCONSISTENT(6),
    ERROR(7);

    private final int exitCode;

    Verdict(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The change is out at the authoritative servers and caches are letting go of the old one. */
    public boolean inFlight() {
        return this == PUBLISHED || this == PROPAGATING;
    }
}
