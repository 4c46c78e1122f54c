/**
 * The one-shot copy an imapsync user expects ({@code ./mxcutover sync}, {@link io.mxcutover.sync.cli.SyncCli}):
 * parses the arguments, runs {@code sync.run.SyncService} once over the mailbox list, prints the report or
 * the verification, and exits with a code a script can test. Nothing is decided here.
 */
package io.mxcutover.sync.cli;
