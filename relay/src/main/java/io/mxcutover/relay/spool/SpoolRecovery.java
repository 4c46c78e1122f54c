package io.mxcutover.relay.spool;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs once at start, before intake and delivery: every complete message file is reported back
 * with its state and status; every incomplete one ({@code .tmp}, no trailer, bad header) is moved
 * to corrupt/ and logged once, saying whether its sender was told 250 ({@link SetAside}); status
 * files whose message is gone (delivered just before a crash) are removed. Files already in
 * corrupt/ were reported when they were moved there: they are only counted (one INFO line).
 */
public final class SpoolRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(SpoolRecovery.class);

    /** One message found on disk. */
    public record Recovered(SpoolEntry entry, SpoolState state, DeliveryStatus status) {}

    /** What recovery found. */
    public record Report(List<Recovered> messages, int setAside, int orphanStatusFiles, int corruptTotal) {}

    private SpoolRecovery() {}

    public static Report recover(FileSpool spool) throws IOException {
        List<Recovered> found = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int setAside = 0;
        for (SpoolState state : List.of(SpoolState.INCOMING, SpoolState.ACTIVE, SpoolState.DEFERRED, SpoolState.HOLD)) {
            for (Path file : list(spool.directory(state))) {
                String name = file.getFileName().toString();
                if (name.endsWith(FileSpool.TMP_SUFFIX) || !SpoolId.isValid(name)) {
                    SetAside.Kind kind = SetAside.kindOf(name, false, false);
                    spool.setAside(
                            file,
                            new SetAside(
                                    kind,
                                    kind == SetAside.Kind.INCOMPLETE
                                            ? "incomplete message (crash or abort during DATA)"
                                            : "unexpected file name in spool directory "
                                                    + state.name().toLowerCase(java.util.Locale.ROOT)));
                    setAside++;
                    continue;
                }
                SpoolId id = SpoolId.of(name);
                try {
                    SpoolEntry entry = spool.read(id, state);
                    if (!ids.add(id.value())) {
                        spool.setAside(
                                file,
                                new SetAside(
                                        SetAside.Kind.DUPLICATE,
                                        "queue id " + id + " exists in two spool directories"));
                        setAside++;
                        continue;
                    }
                    DeliveryStatus status;
                    try {
                        status = spool.readStatus(id).orElse(DeliveryStatus.FRESH);
                    } catch (SpoolException e) {
                        LOG.warn(
                                "status of queue id {} unreadable ({}); retrying all its pending recipients",
                                id,
                                e.getMessage());
                        status = DeliveryStatus.FRESH;
                    }
                    found.add(new Recovered(entry, state, status));
                } catch (SpoolException e) {
                    spool.setAside(
                            file,
                            new SetAside(
                                    SetAside.kindOf(name, false, e instanceof SpoolIncompleteException),
                                    e.getMessage()));
                    setAside++;
                }
            }
        }
        int orphans = 0;
        for (Path file : list(spool.statusDirectory())) {
            String name = file.getFileName().toString();
            String id = name.endsWith(".new") ? name.substring(0, name.length() - 4) : name;
            if (name.endsWith(".new") || !ids.contains(id)) {
                Files.deleteIfExists(file);
                orphans += name.endsWith(".new") ? 0 : 1;
            }
        }
        int corrupt = (int) list(spool.directory(SpoolState.CORRUPT)).stream()
                .map(f -> f.getFileName().toString())
                .filter(n -> !n.endsWith(".status") && !n.endsWith(FileSpool.WHY_SUFFIX))
                .count();
        if (corrupt > setAside) {
            // Already reported when they were moved; each one's .why says what it needs.
            LOG.info(
                    "spool recovery: {} holds {} file(s) set aside earlier (see each file's {} for whether its "
                            + "sender was told 250); clean-up: docs/spool.md",
                    spool.directory(SpoolState.CORRUPT),
                    corrupt - setAside,
                    FileSpool.WHY_SUFFIX);
        }
        LOG.info("spool recovery: {} message(s) queued in {}", found.size(), spool.root());
        return new Report(found, setAside, orphans, corrupt);
    }

    private static List<Path> list(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (Files.isRegularFile(p)) {
                    out.add(p);
                }
            }
        }
        return out;
    }
}
