package io.mxcutover.appliance.plan;

import java.nio.file.Path;

/**
 * One thing wrong with a plan file, said so an admin can fix it: where (file, line, key), what, and how.
 *
 * @param line 1-based line, or 0 when unknown
 */
public record PlanProblem(Path file, int line, String key, String problem, String fix) {
    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line : "") + (key.isEmpty() ? "" : ": " + key) + ": " + problem
                + (fix.isEmpty() ? "" : " (fix: " + fix + ")");
    }
}
