package io.mxcutover.appliance.batch;

import java.nio.file.Files;
import java.nio.file.Path;

/** Executable {@code /bin/sh} scripts for hooks in tests. */
final class HookRunnerScripts {
    private HookRunnerScripts() {}

    static Path write(Path dir, String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        if (!p.toFile().setExecutable(true)) {
            throw new IllegalStateException("cannot make " + p + " executable");
        }
        return p;
    }
}
