package io.mxcutover.appliance.plan;

import com.codahale.metrics.health.HealthCheck;

/** Unhealthy while the plan file on disk is an edit that was refused (the previous plan is still in force). */
public final class PlanHealthCheck extends HealthCheck {
    private final PlanWatcher watcher;

    public PlanHealthCheck(PlanWatcher watcher) {
        this.watcher = watcher;
    }

    @Override
    protected Result check() {
        var refused = watcher.lastRefused();
        if (refused.isEmpty()) {
            return Result.healthy(
                    "plan " + watcher.file() + " in force: " + watcher.current().domainNames());
        }
        return Result.unhealthy(
                "the last edit of " + watcher.file() + " was refused and the previous plan stays in force: "
                        + refused.get(0) + (refused.size() > 1 ? " (and " + (refused.size() - 1) + " more)" : ""));
    }
}
