/**
 * Verification: per mailbox and folder, the source's messages are looked up on the target by
 * identity and by the journal, and the target's bytes are hashed (SHA-256) and compared with the
 * hash recorded from the source bytes at copy time (and, in a deep check, with a fresh hash of
 * the source). The outcome is a {@link io.mxcutover.sync.verify.VerifyReport} with a verdict the
 * cutover gates on and a list of what is missing (folder, UID, Message-ID, size, why).
 * Each source folder is compared with the folder the mailbox's folder plan names (the plan the sync
 * journaled), not merely where the journal says the messages went. Besides the verdict, the report
 * counts what a READY does not say: messages the user deleted on the target (not copied again),
 * dates the target did not keep (a warning), copies found by identity only (bytes not compared),
 * and the folders the plan renames or merges. No folder to compare is NOT_READY.
 * Verification only reads: the source is EXAMINEd with BODY.PEEK like during the copy.
 */
package io.mxcutover.sync.verify;
