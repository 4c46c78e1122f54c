/**
 * Hooks: the admin's own commands, run when something happens to a mailbox, a batch or a domain
 * (provision the user on the new server, send the user a notice, update a ticket).
 *
 * <p>Events ({@link io.mxcutover.appliance.hook.HookEvent}): {@code mailbox-history-copied} (once per
 * mailbox, the first pass that finished its history), {@code mailbox-failed} (a pass could not sync the
 * mailbox: login, connection; again only after it synced in between), {@code batch-completed} (the final
 * pass of a batch's "complete" is done), {@code domain-cut-over} (RELAYING -> CATCHING_UP on disk),
 * {@code window-closed} (CATCHING_UP -> COMPLETED on disk).
 *
 * <p>How a command runs ({@link io.mxcutover.appliance.hook.HookRunner}): directly, never through a shell
 * (the YAML gives the program and its arguments as a list; nothing is expanded); with an environment
 * that holds only {@code PATH}, {@code LANG} and the {@code MXCUTOVER_*} variables of the event (the
 * appliance's own environment, where the sync key and the YAML's secrets live, is not passed on); stdin
 * empty; stdout and stderr together kept up to {@link io.mxcutover.appliance.hook.HookRunner#OUTPUT_LIMIT}
 * bytes; killed (with what it started) when its timeout passes. No password is ever given to a hook.
 *
 * <p>A hook never stops the migration: hooks run on their own threads ({@code hooks.parallel}), after the
 * fact; a hook that fails, hangs or cannot start is logged at WARN, recorded in the audit log
 * ({@code hook.failed}, with its exit code and output) and in {@code hook_run}; one that works is audited
 * as {@code hook.ran}. Tables (migration {@code db/appliance/V6}): {@code hook_run} (one row per run) and
 * {@code hook_mailbox_event} (which once-per-mailbox events fired).
 */
package io.mxcutover.appliance.hook;
