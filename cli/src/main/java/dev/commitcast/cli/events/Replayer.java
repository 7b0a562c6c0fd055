package dev.commitcast.cli.events;

import dev.commitcast.cli.platform.RedisEffects;
import dev.commitcast.core.CacheKey;
import dev.commitcast.core.Invalidation;
import dev.commitcast.core.KeySpace;
import dev.commitcast.core.Namespace;
import dev.commitcast.core.Rules;
import dev.commitcast.events.RecordDecision;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Runs a replay: reads every item of an {@link EventSource}, decides each record with {@link EventInvalidation} and,
 * unless it is a dry run, applies the invalidations in batches of up to {@code batchSize} records through
 * {@link RedisEffects} (Redis deletes, then the L1 broadcast), as the invalidator applies a polled batch. A dry run
 * prints, per record, the keys and namespaces it would invalidate and touches nothing. Malformed lines are reported
 * with their origin and skipped. Single-threaded.
 */
final class Replayer {
    private final EventInvalidation decisions;
    private final KeySpace keySpace;
    private final Predicate<String> topics;
    private final RedisEffects effects;
    private final int batchSize;
    private final boolean verbose;
    private final PrintWriter out;
    private final PrintWriter err;
    private final ReplayReport report = new ReplayReport();
    private final Invalidation.Builder pending = Invalidation.builder();
    private int pendingRecords;

    /**
     * @param topics  which topics to replay; records of others are skipped and counted
     * @param effects where to apply, or {@code null} for a dry run
     */
    Replayer(Rules rules, Predicate<String> topics, RedisEffects effects, int batchSize, boolean verbose,
             PrintWriter out, PrintWriter err) {
        this.decisions = new EventInvalidation(rules);
        this.keySpace = rules.keySpace();
        this.topics = topics;
        this.effects = effects;
        this.batchSize = batchSize;
        this.verbose = verbose || effects == null;
        this.out = out;
        this.err = err;
    }

    ReplayReport run(EventSource source) {
        for (SourcedEvent item = source.next(); item != null; item = source.next()) {
            if (item.malformed()) {
                report.malformed++;
                report.problem(item.origin());
                err.println(item.origin() + ": malformed, skipped: " + item.error());
                continue;
            }
            report.records++;
            EventRecord event = item.event();
            if (!topics.test(event.topic())) {
                report.otherTopics++;
                print(item, "not a change topic of this prefix, skipped");
                continue;
            }
            handle(item, decisions.decide(event));
        }
        applyPending();
        return report;
    }

    private void handle(SourcedEvent item, RecordDecision.Outcome outcome) {
        switch (outcome.kind()) {
            case MARKER -> {
                report.markers++;
                print(item, "watermark marker, skipped");
            }
            case RESET -> {
                report.resets++;
                print(item, "continuity reset of the connector -> " + describe(outcome.invalidation()));
                add(outcome.invalidation());
            }
            case TOMBSTONE -> {
                report.tombstones++;
                print(item, "tombstone, skipped");
            }
            case CHANGE -> {
                report.changes++;
                print(item, outcome.change().qualifiedTable() + " " + outcome.change().op() + " -> "
                        + describe(outcome.invalidation()));
                add(outcome.invalidation());
            }
            case UNDECODABLE -> {
                report.undecodable++;
                report.problem(item.origin());
                err.println(origin(item) + ": cannot decode or map (" + outcome.error().getMessage() + "); over-invalidating "
                        + describe(outcome.invalidation()) + " as the invalidator does");
                add(outcome.invalidation());
            }
        }
    }

    private void add(Invalidation invalidation) {
        pending.add(invalidation);
        if (++pendingRecords >= batchSize) {
            applyPending();
        }
    }

    private void applyPending() {
        Invalidation batch = pending.build();
        report.keys += batch.keys().size();
        report.namespaces += batch.namespaces().size();
        if (effects != null && !batch.isEmpty()) {
            RedisEffects.Applied applied = effects.apply(batch);
            report.redisKeysDeleted += applied.redisKeysDeleted();
            report.broadcasts += applied.broadcasts();
        }
        pendingRecords = 0;
    }

    private void print(SourcedEvent item, String what) {
        if (verbose) {
            out.println(origin(item) + "  " + what);
        }
    }

    private static String origin(SourcedEvent item) {
        return item.line() > 0 ? item.origin() + "  " + item.event().position() : item.origin();
    }

    /** E.g. {@code cc:v1:org:{7}:user:9 cc:v1:org:{7}:users:first namespace tag=8 (cc:v1:org:{8}:settings* ...)}. */
    private String describe(Invalidation invalidation) {
        List<String> parts = new ArrayList<>();
        for (CacheKey key : invalidation.keys()) {
            parts.add(keySpace.valueKey(key));
        }
        for (Namespace namespace : invalidation.namespaces()) {
            parts.add("namespace " + namespace.wire() + " ("
                    + String.join(" ", namespace.scanPatterns(keySpace)) + ")");
        }
        return String.join(" ", parts);
    }
}
