package io.mxcutover.appliance.cli;

/** The configuration has problems that were already printed; the process exits with {@code EX_CONFIG} (78). */
public final class ConfigurationProblems extends Exception {
    public ConfigurationProblems(int count) {
        super(count + " configuration problem(s); nothing was started");
    }
}
