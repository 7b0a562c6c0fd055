package dev.commitcast.core;

import java.util.List;

/**
 * A rules file that cannot be used: unreadable, not YAML, or invalid. Lists every problem found, each naming the
 * file, the line and the entry ({@code rules.yml:12: kinds.user.key: unknown part {uid}; declared parts are [org,
 * id]}), so one run shows everything to fix. A process given such a file refuses to start.
 */
public final class RulesException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * One problem.
     *
     * @param source  the file (as given)
     * @param line    1-based line, or 0 when it is not about one line
     * @param entry   the entry, as a dotted path ({@code tables.public.users.invalidate[1].bind}), or empty
     * @param message what is wrong and, where it helps, how to fix it
     */
    public record Problem(String source, int line, String entry, String message) {
        /** Returns {@code source:line: entry: message}. */
        @Override
        public String toString() {
            return source + (line > 0 ? ":" + line : "") + ": " + (entry.isEmpty() ? "" : entry + ": ") + message;
        }
    }

    private final transient List<Problem> problems;

    RulesException(List<Problem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    /** Returns every problem, in file order. */
    public List<Problem> problems() {
        return problems;
    }

    private static String describe(List<Problem> problems) {
        StringBuilder sb = new StringBuilder("invalid rules file ").append(problems.getFirst().source())
                .append(" (").append(problems.size()).append(problems.size() == 1 ? " problem)" : " problems)");
        for (Problem problem : problems) {
            sb.append("\n  ").append(problem);
        }
        return sb.toString();
    }
}
