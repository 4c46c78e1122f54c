/**
 * The DNS records an admin publishes for the move ({@link io.mxcutover.dnscheck.plan.DnsPlan}): the MX set
 * and the SPF record, printed as a zone-file snippet and as a table, the way providers' onboarding pages do.
 */
package io.mxcutover.dnscheck.plan;
