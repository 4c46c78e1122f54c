package io.mxcutover.appliance.window;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What admins changed about a domain's catch-up window: extensions, and at most one forced close. */
public record WindowOverrides(List<WindowExtension> extensions, Optional<ForcedClose> forcedClose) {

    public static final WindowOverrides NONE = new WindowOverrides(List.of(), Optional.empty());

    public WindowOverrides {
        extensions = List.copyOf(Objects.requireNonNull(extensions, "extensions"));
        Objects.requireNonNull(forcedClose, "forcedClose");
    }

    public WindowOverrides plus(WindowExtension extension) {
        List<WindowExtension> more = new ArrayList<>(extensions);
        more.add(Objects.requireNonNull(extension, "extension"));
        return new WindowOverrides(more, forcedClose);
    }

    public WindowOverrides closedBy(ForcedClose close) {
        return new WindowOverrides(extensions, Optional.of(close));
    }
}
