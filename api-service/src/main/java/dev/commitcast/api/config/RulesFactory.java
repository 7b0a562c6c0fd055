package dev.commitcast.api.config;

import dev.commitcast.core.KeySpace;
import dev.commitcast.core.Rules;
import dev.commitcast.core.wire.EvictionCodec;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * Builds what this service shares with every other Commitcast process from {@code commitcast.rules}: the loaded
 * rules (eagerly, so an invalid rules file stops the start with its problems), their key space and the eviction
 * codec; and the {@link Clock} every time-dependent component uses (tests replace it).
 */
@Factory
public class RulesFactory {

    /** Returns the rules; created at start-up, so a missing or invalid file stops the service. */
    @Context
    Rules rules(CommitcastConfig config) {
        return config.loadRules();
    }

    /** Returns the key space of the rules (or of {@code commitcast.key-space}). */
    @Singleton
    KeySpace keySpace(Rules rules) {
        return rules.keySpace();
    }

    /** Returns the codec of the eviction broadcast. */
    @Singleton
    EvictionCodec evictionCodec(Rules rules) {
        return new EvictionCodec(rules);
    }

    /** Returns the system UTC clock. */
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
