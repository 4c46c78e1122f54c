/**
 * Verification: per mailbox and folder, the source's messages are looked up on the target by
 * identity and by the journal, and the target's bytes are hashed (SHA-256) and compared with the
 * hash recorded from the source bytes at copy time (and, in a deep check, with a fresh hash of
 * the source). The outcome is a {@link io.mxcutover.sync.verify.VerifyReport} with a verdict the
 * cutover gates on and a list of what is missing (folder, UID, Message-ID, size, why).
 * Verification only reads: the source is EXAMINEd with BODY.PEEK like during the copy.
 */
package io.mxcutover.sync.verify;
