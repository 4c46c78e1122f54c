package io.mxcutover.sync.testing;

import io.mxcutover.sync.cli.SyncCli;

/**
 * {@code mxcutover sync} without the appliance: SyncCli over a SQLite state file migrated by
 * Flyway, as the appliance does. Used by ITs (in a child JVM with a small heap) and by
 * bench/sync/run.sh.
 */
public final class CliMain {
    private CliMain() {}

    public static void main(String[] args) {
        System.exit(SyncCli.run(args, System.out, System.err, TestState::open));
    }
}
