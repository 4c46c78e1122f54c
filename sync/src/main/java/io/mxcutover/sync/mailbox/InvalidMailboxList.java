package io.mxcutover.sync.mailbox;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A mailbox list that cannot be imported, with every problem found in it (line, what, fix). Nothing of
 * such a list is stored: an import is all or nothing. The message names lines and addresses, never a
 * password.
 */
public final class InvalidMailboxList extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** One problem: {@code line} 1-based (0 when it concerns the whole file), what is wrong, how to fix it. */
    public record Problem(long line, String what, String fix) {
        @Override
        public String toString() {
            return (line > 0 ? "line " + line + ": " : "") + what + "; " + fix;
        }
    }

    private final transient List<Problem> problems;

    public InvalidMailboxList(List<Problem> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String message(List<Problem> problems) {
        return "mailbox list: " + problems.size() + " problem(s), nothing imported: "
                + problems.stream().map(Problem::toString).collect(Collectors.joining(" | "));
    }
}
