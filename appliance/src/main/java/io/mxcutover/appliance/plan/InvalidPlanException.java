package io.mxcutover.appliance.plan;

import java.util.List;

/** The plan file cannot be used; carries every problem found. */
public final class InvalidPlanException extends Exception {
    private final List<PlanProblem> problems;

    public InvalidPlanException(List<PlanProblem> problems) {
        super("the migration plan is invalid:"
                + problems.stream().map(p -> "\n  " + p).reduce("", String::concat));
        this.problems = List.copyOf(problems);
    }

    public List<PlanProblem> problems() {
        return problems;
    }
}
