/**
 * The migration plan: which domains move, where their legacy and new servers are, and the catch-up window.
 *
 * <p>The plan is its own YAML file (path in the service YAML, key {@code plan}), read with Apache Commons
 * Configuration by {@link io.mxcutover.appliance.plan.PlanReader}, which validates it as a whole and names
 * file, line, key and fix for every problem. {@link io.mxcutover.appliance.plan.PlanWatcher} re-reads it
 * when its content changes (checked every second by default) and swaps the new plan in atomically; an
 * invalid edit is logged and refused, and the previous plan stays in force. Only {@code ${env:NAME}} is
 * interpolated.
 *
 * <p>Each domain names its {@link io.mxcutover.appliance.plan.MxFlow} ({@code flow}): {@code relay-first}
 * (MX legacy -> appliance ({@code appliance.mx}) before the history copy, later appliance -> {@code new.mx})
 * or {@code switch-at-go-live} (MX legacy -> {@code new.mx} at go-live). {@link
 * io.mxcutover.appliance.plan.DomainPlan#windowMx()} is the set whose switch anchors the catch-up window;
 * the reader refuses MX sets that contradict the flow.
 *
 * <p>Logs: one INFO line per accepted reload (domains before and after), one ERROR line with every problem
 * per refused edit.
 */
package io.mxcutover.appliance.plan;
