package io.mxcutover.appliance.facts;

/**
 * The DNS watcher's verdict on a domain's MX, as far as a cutover cares. The appliance maps the
 * dnscheck module's propagation report onto it.
 */
public enum DnsVerdict {
    /** Every authoritative server and every watched resolver returns the new MX set. */
    SWITCHED,
    /** The authoritative servers return the new set; some resolvers still return the old one. */
    PROPAGATING,
    /** The MX still points at the old set (normal when the provider switches MX at go-live). */
    NOT_SWITCHED,
    /** The MX points at hosts that are neither the old nor the new set. */
    UNEXPECTED,
    /** No usable observation yet (watcher not run, or every lookup failed). */
    UNKNOWN
}
