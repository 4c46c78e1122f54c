/**
 * imapsync's command line as mxcutover's one-shot copy: {@link io.mxcutover.sync.imapsync.ImapsyncOptions#parse}
 * reads imapsync's options (pure: arguments and environment in, an
 * {@link io.mxcutover.sync.imapsync.ImapsyncRequest} or a refusal naming the option out), so an admin's scripts
 * keep working. Folder options become {@link io.mxcutover.sync.folder.FolderRules}, {@code --maxage/--minage/
 * --justfolders} a {@link io.mxcutover.sync.plan.MessageFilter}; options that would delete, rewrite a message or
 * mean something else here are refused with the reason, never ignored. {@code sync.cli.ImapsyncCli} runs the
 * request; docs/reference/imapsync.md maps every option.
 */
package io.mxcutover.sync.imapsync;
