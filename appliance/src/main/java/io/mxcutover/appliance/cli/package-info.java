/**
 * The appliance's subcommands, the way an admin runs them ({@code ./mxcutover <command>}): {@code check}
 * ({@link io.mxcutover.appliance.cli.CheckCommand}: the service YAML and the plan, every problem with its
 * file, line and fix), {@code sync} ({@link io.mxcutover.appliance.cli.SyncCommand}: the one-shot copy of
 * the {@code sync} module), {@code dnscheck} ({@link io.mxcutover.appliance.cli.DnsCheckCommand}: the
 * {@code dnscheck} module's one-shot check), {@code hash-password}, {@code imapsync} ({@link io.mxcutover.appliance.cli.ImapsyncCommand}: an imapsync command
 * line run as the one-shot copy; its raw arguments are handed over by {@code ApplianceApplication.main}), {@code store migrate}
 * ({@link io.mxcutover.appliance.cli.StoreCommand}: a node's SQLite state copied into PostgreSQL, verified). Each is a Dropwizard {@code Command}
 * that parses its arguments and hands over to the module that does the work; no decisions live here.
 */
package io.mxcutover.appliance.cli;
