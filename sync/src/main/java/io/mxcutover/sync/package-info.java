/**
 * mxcutover sync: stateful, byte-exact IMAP-to-IMAP copy from the legacy (source) server to
 * the new (target) server, history first, then new arrivals continuously.
 * See the sub-packages: folder, plan, state, imap, run, verify, report, mailbox.
 */
package io.mxcutover.sync;
