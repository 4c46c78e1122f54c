package io.mxcutover.sync.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes messages straight into a Dovecot Maildir (how an old server's store looks on disk):
 * fast seeding of big corpora, and messages an IMAP APPEND could not create (an empty file).
 * Files get the owner of the Maildir so Dovecot (running as the mail uid) can read them.
 * Call {@link #touch} after writing so Dovecot rescans.
 */
public final class Maildir {
    private static final AtomicLong SEQ = new AtomicLong();

    private Maildir() {}

    /** The Maildir folder directory: INBOX is the Maildir root, others {@code .Name} (Maildir++ '.' layout). */
    public static Path folder(Path mailRoot, String user, String maildirPlusPlusName) throws IOException {
        Path root = mailRoot.resolve(user).resolve("Maildir");
        Path dir = maildirPlusPlusName.equals("INBOX") ? root : root.resolve("." + maildirPlusPlusName);
        for (String sub : new String[] {"cur", "new", "tmp"}) {
            Files.createDirectories(dir.resolve(sub));
        }
        chownLike(mailRoot, mailRoot.resolve(user));
        chownLike(mailRoot, root);
        chownLike(mailRoot, dir);
        for (String sub : new String[] {"cur", "new", "tmp"}) {
            chownLike(mailRoot, dir.resolve(sub));
        }
        return dir;
    }

    /** Writes one message into {@code cur/} with the given maildir flags (e.g. "S", "FS") and INTERNALDATE. */
    public static Path write(Path folderDir, byte[] message, String flags, Instant internalDate) throws IOException {
        String name = internalDate.getEpochSecond() + ".M" + SEQ.incrementAndGet() + "P"
                + ProcessHandle.current().pid() + ".mxcit,S=" + message.length + ":2," + flags;
        Path file = folderDir.resolve("cur").resolve(name);
        Files.write(file, message);
        Files.setLastModifiedTime(file, FileTime.from(internalDate));
        chownLike(folderDir, file);
        return file;
    }

    public static void touch(Path folderDir) throws IOException {
        Files.setLastModifiedTime(folderDir.resolve("cur"), FileTime.from(Instant.now()));
    }

    static void chownLike(Path reference, Path target) throws IOException {
        PosixFileAttributeView ref = Files.getFileAttributeView(reference, PosixFileAttributeView.class);
        PosixFileAttributeView view = Files.getFileAttributeView(target, PosixFileAttributeView.class);
        if (ref == null || view == null) {
            return;
        }
        UserPrincipal owner = ref.getOwner();
        view.setOwner(owner);
        view.setGroup(ref.readAttributes().group());
    }
}
