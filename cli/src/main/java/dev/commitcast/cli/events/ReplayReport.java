package dev.commitcast.cli.events;

import java.util.ArrayList;
import java.util.List;

/** What a replay saw and did, and its closing summary. Single-threaded. */
final class ReplayReport {
    private static final int LISTED_PROBLEMS = 10;

    long records;
    long changes;
    long markers;
    long tombstones;
    long resets;
    long otherTopics;
    long undecodable;
    long malformed;
    long keys;
    long namespaces;
    long redisKeysDeleted;
    long broadcasts;
    private final List<String> problemOrigins = new ArrayList<>();

    void problem(String origin) {
        if (problemOrigins.size() < LISTED_PROBLEMS) {
            problemOrigins.add(origin);
        }
    }

    /** Whether anything could not be replayed exactly (malformed lines, undecodable events). */
    boolean hadProblems() {
        return malformed > 0 || undecodable > 0;
    }

    String summary(String source, boolean dryRun, String channel) {
        StringBuilder sb = new StringBuilder();
        sb.append(dryRun ? "dry run of " : "replayed ").append(records).append(records == 1 ? " record" : " records")
                .append(" from ").append(source).append(": ").append(changes).append(" changes");
        sb.append(", ").append(markers).append(" markers and ").append(tombstones).append(" tombstones skipped");
        if (resets > 0) {
            sb.append(", ").append(resets).append(" continuity resets (everything invalidated)");
        }
        if (otherTopics > 0) {
            sb.append(", ").append(otherTopics).append(" records of other topics skipped");
        }
        if (undecodable > 0) {
            sb.append(", ").append(undecodable).append(" undecodable (over-invalidated)");
        }
        if (malformed > 0) {
            sb.append(", ").append(malformed).append(" malformed lines skipped");
        }
        sb.append(System.lineSeparator());
        if (dryRun) {
            sb.append("would invalidate ").append(keys).append(" cache keys and ").append(namespaces)
                    .append(" namespaces; nothing was changed");
        } else {
            sb.append("deleted ").append(redisKeysDeleted).append(" Redis keys (values and leases) for ").append(keys)
                    .append(" cache keys and ").append(namespaces).append(" namespaces; ").append(broadcasts)
                    .append(broadcasts == 1 ? " broadcast" : " broadcasts").append(" on ").append(channel);
        }
        if (hadProblems()) {
            sb.append(System.lineSeparator()).append("problems at: ").append(String.join(", ", problemOrigins))
                    .append(undecodable + malformed > LISTED_PROBLEMS ? ", ..." : "")
                    .append(" (exit code 3)");
        }
        return sb.toString();
    }
}
