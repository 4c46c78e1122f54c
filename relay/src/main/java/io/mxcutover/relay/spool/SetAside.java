package io.mxcutover.relay.spool;

import java.util.Objects;

/**
 * Why a spool file goes to {@code corrupt/}, and what that means for its sender. Pure.
 *
 * <p>The spool format decides whether the client was told 250: a message is acknowledged only
 * after its {@code <id>.tmp} was written with its END trailer, renamed to {@code <id>}, forced
 * and the directory fsynced. So a {@code .tmp} file, and a file that ends before its END trailer
 * (a system crash between the rename and the force leaves one), was never acknowledged - the
 * client's server still has the message and retries by itself - while a complete file that no
 * longer reads back (bad header, checksum) was, and exists nowhere else. Resubmitting an
 * unacknowledged file by hand would deliver the message twice.
 *
 * @param detail what is wrong with the file, for the log line
 */
public record SetAside(Kind kind, String detail) {

    public enum Kind {
        /** {@code .tmp}, or no END trailer on disk: the transfer or the write never finished. */
        INCOMPLETE(false),
        /** A complete file that no longer reads back (bad header, checksum mismatch). */
        DAMAGED(true),
        /** A committed file whose queue id is also queued in another directory (that one is delivered). */
        DUPLICATE(true),
        /** A name the relay never writes: not one of its messages. */
        FOREIGN(false);

        private final boolean acknowledged;

        Kind(boolean acknowledged) {
            this.acknowledged = acknowledged;
        }
    }

    public SetAside {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * Classifies a file found in a queue directory.
     *
     * @param duplicate  its queue id is also queued in another directory
     * @param incomplete it ends before its END trailer ({@link SpoolIncompleteException})
     */
    public static Kind kindOf(String fileName, boolean duplicate, boolean incomplete) {
        if (fileName.endsWith(FileSpool.TMP_SUFFIX) || (incomplete && SpoolId.isValid(fileName))) {
            return Kind.INCOMPLETE;
        }
        if (!SpoolId.isValid(fileName)) {
            return Kind.FOREIGN;
        }
        return duplicate ? Kind.DUPLICATE : Kind.DAMAGED;
    }

    /** Whether the sender was told 250 for this file. */
    public boolean acknowledged() {
        return kind.acknowledged;
    }

    /** Whether the admin has to do something about it. */
    public boolean needsAction() {
        return kind == Kind.DAMAGED;
    }

    /** What the sender was told and what the admin should do, in one sentence for the log and the .why file. */
    public String advice() {
        return switch (kind) {
            case INCOMPLETE ->
                "the sender was NOT told 250 for it (the transfer or the write never finished: the "
                        + "relay answers 250 only once the whole file is on disk), so the sending "
                        + "server still has the message and retries by itself: no action needed; do not resubmit it "
                        + "(that would deliver it twice). The file may be deleted once looked at";
            case DAMAGED ->
                "the sender WAS told 250 (the file was complete under its final name; only a machine "
                        + "crash during the receipt leaves such a file unacknowledged), so treat it as the only copy; it "
                        + "is not delivered: ACTION NEEDED - repair the file and move it (with its .status, if any) back "
                        + "to deferred/ and restart the relay, or ask the sender to send the message again";
            case DUPLICATE ->
                "the sender was told 250, and another file with the same queue id is queued and will "
                        + "be delivered: no action needed; compare the two before deleting this one";
            case FOREIGN ->
                "not a message file of this relay (unexpected name); nothing was acknowledged under "
                        + "this name: no action needed";
        };
    }

    /** The content of {@code corrupt/<file>.why}: read by admins, and by nothing in the relay. */
    public String whyFile(String fileName, java.time.Instant when) {
        return "file: " + fileName + "\n"
                + "set-aside: " + when + "\n"
                + "acknowledged: "
                + (acknowledged() ? "yes (the sender was told 250)" : "no (the sender was never told 250)") + "\n"
                + "action-needed: " + (needsAction() ? "yes" : "no") + "\n"
                + "reason: " + detail.replace('\n', ' ') + "\n"
                + "advice: " + advice() + "\n";
    }
}
