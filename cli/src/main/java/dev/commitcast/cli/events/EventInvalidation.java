package dev.commitcast.cli.events;

import dev.commitcast.core.Invalidation;
import dev.commitcast.core.Rules;
import dev.commitcast.events.RecordDecision;

/**
 * What one recorded event invalidates: decided by {@link RecordDecision} (commitcast-events), the class the
 * invalidator's consume loop uses for every polled record, under the same rules file, so a replay cannot disagree
 * with the live pipeline. A line flagged as a marker in
 * a recorded file counts as a marker even when its headers were not recorded. The invalidator also dead-letters an
 * undecodable event; a replay reports it instead. Stateless and thread-safe.
 */
public final class EventInvalidation {
    private static final RecordDecision.Outcome MARKER = new RecordDecision.Outcome(RecordDecision.Kind.MARKER, null,
            Invalidation.empty(), null);

    private final RecordDecision decisions;

    public EventInvalidation(Rules rules) {
        this.decisions = new RecordDecision(rules);
    }

    public RecordDecision.Outcome decide(EventRecord event) {
        if (event.marker()) {
            return MARKER;
        }
        return decisions.decide(event.kafkaHeaders(), event.valueBytes(), event.timestamp());
    }
}
