/**
 * The one-shot check behind {@code mxcutover dnscheck}: poll once, print a table per server,
 * the verdict, the switch time and the expected end (or the same as JSON with a
 * {@code verdict} field), and exit with the verdict's code so that scripts can wait on it:
 * <pre>
 *   0 PROPAGATED   3 PROPAGATING   4 PUBLISHED   5 NOT_SWITCHED   6 INCONSISTENT   7 ERROR
 *   2 usage error (bad arguments)
 * </pre>
 * {@link io.mxcutover.dnscheck.cli.ReportView} turns a report into plain maps and lists,
 * which is also what the appliance's REST resource serialises.
 */
package io.mxcutover.dnscheck.cli;
