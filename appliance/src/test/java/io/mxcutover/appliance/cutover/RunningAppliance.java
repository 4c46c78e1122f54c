package io.mxcutover.appliance.cutover;

import io.dropwizard.lifecycle.JettyManaged;
import io.dropwizard.testing.DropwizardTestSupport;

/** Reaches into an appliance started by a test (any package) for its cutover service. */
public final class RunningAppliance {
    private RunningAppliance() {}

    public static CutoverService cutoverService(DropwizardTestSupport<?> support) {
        return support.getEnvironment().lifecycle().getManagedObjects().stream()
                .filter(JettyManaged.class::isInstance)
                .map(m -> ((JettyManaged) m).getManaged())
                .filter(CutoverTick.class::isInstance)
                .map(m -> ((CutoverTick) m).service())
                .findFirst()
                .orElseThrow();
    }
}
